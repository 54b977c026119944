/**
 * Which browser origins may call the api (CORS on /graphql and /blobs). The api authenticates
 * with bearer tokens and API keys, never with cookies, so CORS guards no session here; what it
 * keeps from other sites' pages is whatever the api tells anyone who asks, through their
 * visitors' browsers — an api inside a studio's network, an instance not yet set up.
 *
 * The web app itself needs CORS only for the local store's signed `/blobs` links (upload parts,
 * a strip's index): its GraphQL goes through its own server, same-origin.
 */
import { toOrigin } from '@rushes/schema/settings';
import { z } from 'zod';

/** The web app on this machine (`npm start`'s default port), the default allow-list. */
export const LOCAL_WEB_ORIGINS: readonly string[] = ['http://localhost:3000', 'http://127.0.0.1:3000'];

export type AllowedOrigins = '*' | readonly string[];

/** Pure: whether a URL names this machine (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '[::1]'
  );
}

/**
 * Pure: `*`, or a comma-separated list of origins (`scheme://host[:port]`, nothing after it),
 * each normalized as browsers send it. Throws with a message naming the bad entry.
 */
export function parseCorsOrigins(value: string): AllowedOrigins {
  if (value.trim() === '*') return '*';
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('expected * or a comma-separated list of origins');
  return entries.map((entry) => {
    if (entry === '*') throw new Error('* cannot be combined with other origins');
    return toOrigin(entry);
  });
}

/** The api's CORS settings, declared in config.ts. */
export const corsSettings = {
  /**
   * Origins allowed to call the api from a browser: comma-separated origins, or `*`.
   * Default: the web app on localhost (LOCAL_WEB_ORIGINS); required when PUBLIC_API_URL is not.
   */
  CORS_ORIGINS: z
    .string()
    .transform((value, ctx) => {
      try {
        return parseCorsOrigins(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
};

export interface CorsInput {
  CORS_ORIGINS?: AllowedOrigins | undefined;
  CORS_ALLOW_ANY_ORIGIN: boolean;
  /** The api's address as browsers reach it. */
  PUBLIC_API_URL: string;
}

/** Pure: why these settings may not stand (the api then refuses to start), or nothing. */
export function corsProblems(s: CorsInput): string[] {
  if (isLoopbackUrl(s.PUBLIC_API_URL)) return [];
  if (s.CORS_ORIGINS === undefined) {
    return [
      `CORS_ORIGINS is required when PUBLIC_API_URL (${s.PUBLIC_API_URL}) is not on localhost: ` +
        'the web app’s origin(s), e.g. CORS_ORIGINS=https://rushes.example.com',
    ];
  }
  if (s.CORS_ORIGINS === '*' && !s.CORS_ALLOW_ANY_ORIGIN) {
    return [
      `CORS_ORIGINS=* lets every web site’s pages call the api (PUBLIC_API_URL ${s.PUBLIC_API_URL}) ` +
        'from their visitors’ browsers: list the origins, or set CORS_ALLOW_ANY_ORIGIN=true to mean it',
    ];
  }
  return [];
}

/** Pure: the origins the api allows, the default filled in. */
export function allowedOrigins(s: Pick<CorsInput, 'CORS_ORIGINS'>): AllowedOrigins {
  return s.CORS_ORIGINS ?? LOCAL_WEB_ORIGINS;
}
