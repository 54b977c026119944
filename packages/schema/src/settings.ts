/**
 * Settings parsing shared by every process: each app declares its variables as a zod object,
 * parses `process.env` once at start-up, and refuses to start with a message naming the bad
 * variable. Nobody reads `process.env` anywhere else.
 */
import { z } from 'zod';

export class SettingsError extends Error {
  readonly problems: readonly string[];
  constructor(app: string, problems: readonly string[]) {
    super(`${app}: invalid settings\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/**
 * Parses `env` against `shape`. Empty strings count as unset, so `PORT=` falls back to the
 * default rather than failing as "not a number".
 */
export function parseSettings<S extends z.ZodRawShape>(
  app: string,
  shape: S,
  env: Env,
  /** Problems between settings that depend on each other, checked after each one parsed. */
  crossCheck?: (settings: z.infer<z.ZodObject<S>>) => string[],
): z.infer<z.ZodObject<S>> {
  const present: Env = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') present[key] = value.trim();
  }
  const result = z.object(shape).safeParse(present);
  if (result.success) {
    const problems = crossCheck?.(result.data) ?? [];
    if (problems.length > 0) throw new SettingsError(app, problems);
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '?');
    const given = present[key];
    if (given === undefined) return `${key} is required but not set`;
    return `${key}=${JSON.stringify(given)}: ${issue.message}`;
  });
  throw new SettingsError(app, problems);
}

/** A TCP port number, 1–65535. */
export const port = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a port number (an integer from 1 to 65535)')
    .transform(Number)
    .pipe(z.number().int().min(1, 'port must be ≥ 1').max(65535, 'port must be ≤ 65535'))
    .default(fallback);

/** A positive integer. */
export const positiveInt = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a positive integer')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be ≥ 1'))
    .default(fallback);

/** A whole number, 0 or more. */
export const wholeNumber = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number (0 or more)')
    .transform(Number)
    .pipe(z.number().int().min(0))
    .default(fallback);

/** A URL whose scheme is one of `protocols` (e.g. `['http:', 'https:']`). */
const urlWith = (protocols: readonly string[], message: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message },
  );

/** A PostgreSQL connection URL. */
export const databaseUrl = () =>
  urlWith(['postgres:', 'postgresql:'], 'expected a postgres:// or postgresql:// URL');

const anyHttpUrl = () => urlWith(['http:', 'https:'], 'expected an http:// or https:// URL');

/** An http(s) URL. */
export const httpUrl = (fallback: string) => anyHttpUrl().default(fallback);

/** An http(s) URL that may be left unset. */
export const optionalHttpUrl = () => anyHttpUrl().optional();

/**
 * Pure: an http(s) origin (`scheme://host[:port]`, nothing after it) as browsers send it in
 * `Origin`, lower-cased, default port dropped. Throws with a message naming the entry.
 */
export function toOrigin(entry: string): string {
  const url = URL.parse(entry.trim());
  // A path, a query, credentials or another scheme: a browser never sends such an Origin.
  if (
    !url ||
    !['http:', 'https:'].includes(url.protocol) ||
    url.username ||
    url.password ||
    url.href !== `${url.origin}/`
  ) {
    throw new Error(
      `"${entry.trim()}" is not an origin (expected scheme://host[:port], e.g. https://rushes.example.com)`,
    );
  }
  return url.origin;
}

/** A comma-separated list of http(s) origins (see toOrigin). */
export const originList = () =>
  z.string().transform((value, ctx) => {
    try {
      return value
        .split(',')
        .filter((entry) => entry.trim() !== '')
        .map(toOrigin);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/** A yes/no switch: `true`/`false`, `1`/`0` or `yes`/`no`. */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .transform((v) => ['true', '1', 'yes'].includes(v))
    .default(fallback);

export const logLevel = () => z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info');

/**
 * For a process's entry point: returns the settings `load` parses, or prints its SettingsError
 * without a stack trace and exits with status 78 (EX_CONFIG).
 */
export function settingsOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}
