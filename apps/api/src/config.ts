import {
  databaseUrl,
  flag,
  logLevel,
  parseSettings,
  port,
  positiveInt,
  wholeNumber,
} from '@rushes/schema/settings';
import { storageProblems, storageSettings } from '@rushes/storage';
import { z } from 'zod';
import { signInSettings } from './auth/sign-in-throttle.ts';
import { corsProblems, corsSettings } from './cors.ts';
import { rateLimitSettings } from './rate-limits.ts';

/** Every variable the api reads, with its default (listed in the README). */
export const apiSettings = {
  /** PostgreSQL holding the data and the pg-boss queues. Required. */
  DATABASE_URL: databaseUrl(),
  /**
   * PostgreSQL connections this process opens at most, shared by requests and the queue (one
   * more holds the LISTEN for live events: see the README's connection budget).
   */
  DATABASE_POOL_SIZE: positiveInt(10),
  /** HTTP and WebSocket port; GraphQL is served at /graphql on both. */
  PORT: port(4000),
  /** Interface to listen on. Default: all interfaces. */
  HOST: z.string().optional(),
  ...corsSettings,
  /** `true` lets CORS_ORIGINS=* stand when PUBLIC_API_URL is not on localhost (see cors.ts). */
  CORS_ALLOW_ANY_ORIGIN: flag(false),
  /**
   * Signs the api's own links (ALE, CSV, zip). Default: STORAGE_SIGNING_SECRET; without either, a
   * random secret per process (links then fail after a restart and across api replicas). Required
   * with STORAGE_DRIVER=s3, the driver of every deployment beyond one machine, where api replicas
   * must all sign with the same secret.
   */
  API_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: logLevel(),
  /**
   * Memory for query responses answered again without PostgreSQL, in MB (cached-reads.ts): kept
   * per caller and request while nothing they were read from changed. 0 turns it (and the cache
   * of tokens' access) off.
   */
  API_RESPONSE_CACHE_MB: wholeNumber(64),
  /** Sign-in throttling per account and per client address (auth/sign-in-throttle.ts). */
  ...signInSettings,
  /** Per-client request limits and the proxies trusted to name the client (rate-limits.ts). */
  ...rateLimitSettings,
  ...storageSettings,
};

export type ApiSettings = z.infer<z.ZodObject<typeof apiSettings>>;

/** Pure: the signing secret a deployment must share between its api replicas. */
export function signingProblems(s: Pick<ApiSettings, 'STORAGE_DRIVER' | 'API_SIGNING_SECRET'>): string[] {
  return s.STORAGE_DRIVER === 's3' && !s.API_SIGNING_SECRET
    ? [
        'API_SIGNING_SECRET is required with STORAGE_DRIVER=s3: every api replica must sign links with the same secret (32 characters or more)',
      ]
    : [];
}

export function loadApiSettings(env: Record<string, string | undefined>): ApiSettings {
  return parseSettings('rushes api', apiSettings, env, (s) => [
    ...storageProblems(s),
    ...corsProblems(s),
    ...signingProblems(s),
  ]);
}
