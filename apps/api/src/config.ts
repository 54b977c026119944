import { databaseUrl, logLevel, parseSettings, port } from '@rushes/schema/settings';
import { storageProblems, storageSettings } from '@rushes/storage';
import { z } from 'zod';

/** Every variable the api reads, with its default (listed in the README). */
export const apiSettings = {
  /** PostgreSQL holding the data and the pg-boss queues. Required. */
  DATABASE_URL: databaseUrl(),
  /** HTTP and WebSocket port; GraphQL is served at /graphql on both. */
  PORT: port(4000),
  /** Interface to listen on. Default: all interfaces. */
  HOST: z.string().optional(),
  /** Origins allowed to call the api from a browser, comma-separated, or `*`. */
  CORS_ORIGINS: z.string().default('*'),
  /**
   * Signs the api's own links (ALE, CSV, zip). Default: STORAGE_SIGNING_SECRET; without either, a
   * random secret per process (links then fail after a restart and across api replicas).
   */
  API_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: logLevel(),
  ...storageSettings,
};

export type ApiSettings = z.infer<z.ZodObject<typeof apiSettings>>;

export function loadApiSettings(env: Record<string, string | undefined>): ApiSettings {
  return parseSettings('rushes api', apiSettings, env, storageProblems);
}
