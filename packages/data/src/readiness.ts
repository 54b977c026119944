/**
 * GET /readyz of the api and the worker: whether the process should get traffic (api) or take
 * jobs (worker). Three checks, each bounded in time so a hung dependency answers "not ready"
 * rather than hanging the orchestrator's probe:
 * - database: PostgreSQL answers a query;
 * - migrations: the database's schema is the one this build knows (@rushes/schema/migrations):
 *   not empty, not behind (run the migrate command), not migrated by a newer build;
 * - store: the object store answers a listing (S3: the bucket exists and the credentials work).
 * /healthz stays the liveness check: it touches nothing, so a database outage does not get every
 * process restarted.
 */
import { sql } from 'drizzle-orm';
import type { Database } from './db.ts';
import {
  newestAppliedMigrationSql,
  readMigrationHead,
  schemaProblem,
  schemaState,
  type MigrationHead,
} from '@rushes/schema/migrations';

/** What readiness needs of an object store (`@rushes/storage`'s BlobStore has it). */
export interface ListableStore {
  list(prefix: string): AsyncIterable<unknown>;
}

export interface ReadinessCheck {
  ok: boolean;
  /** What was found, or what is wrong, in one sentence. */
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: { database: ReadinessCheck; migrations: ReadinessCheck; store: ReadinessCheck };
}

/** Each check's time limit. */
export const READINESS_TIMEOUT_MS = 3_000;

function withTimeout<T>(what: string, work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The first line of an error's message and of its causes' (Drizzle wraps the driver's error). */
function messageOf(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    const { message, code, name } = e as { message?: string; code?: string; name?: string };
    const text = (message || code || name || String(e)).split('\n')[0]!;
    if (!messages.includes(text)) messages.push(text);
    if (!(e instanceof Error)) break;
  }
  return messages.join(': ');
}

function pgCode(error: unknown): string | undefined {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

async function check(what: string, work: () => Promise<string>, ms: number): Promise<ReadinessCheck> {
  try {
    return { ok: true, detail: await withTimeout(what, work(), ms) };
  } catch (error) {
    return { ok: false, detail: messageOf(error) };
  }
}

/** A key no object has: listing it costs one small request and proves the store answers. */
const PROBE_PREFIX = '.rushes-readyz/';

export class ReadinessService {
  private head: Promise<MigrationHead> | undefined;

  private readonly deps: { readonly db: Database; readonly store: ListableStore };
  private readonly options: { timeoutMs?: number; migrationsFolder?: string };

  /** `deps.store` is read at each check (a test api replaces its store after listening). */
  constructor(
    deps: { readonly db: Database; readonly store: ListableStore },
    options: { timeoutMs?: number; migrationsFolder?: string } = {},
  ) {
    this.deps = deps;
    this.options = options;
  }

  async check(): Promise<Readiness> {
    const ms = this.options.timeoutMs ?? READINESS_TIMEOUT_MS;
    const [database, migrations, store] = await Promise.all([
      check('the database', () => this.database(), ms),
      check('the database', () => this.migrations(), ms),
      check('the store', () => this.reachStore(), ms),
    ]);
    return { ready: database.ok && migrations.ok && store.ok, checks: { database, migrations, store } };
  }

  private async database(): Promise<string> {
    const result = await this.deps.db.execute<{ version: string }>(
      sql`select current_setting('server_version') as version`,
    );
    return `PostgreSQL ${result.rows[0]?.version ?? 'unknown'}`;
  }

  private async migrations(): Promise<string> {
    this.head ??= readMigrationHead(this.options.migrationsFolder);
    const head = await this.head.catch((error: unknown) => {
      this.head = undefined;
      throw error;
    });
    let newest: number | undefined;
    try {
      const result = await this.deps.db.execute<{ newest: string | null }>(
        sql.raw(newestAppliedMigrationSql),
      );
      const value = result.rows[0]?.newest;
      newest = value === null || value === undefined ? undefined : Number(value);
    } catch (error) {
      // No drizzle.__drizzle_migrations table: nothing was ever applied.
      if (pgCode(error) !== '42P01') throw error;
    }
    const state = schemaState(head, newest);
    const problem = schemaProblem(state);
    if (problem) throw new Error(problem);
    return `at ${head.tag}`;
  }

  private async reachStore(): Promise<string> {
    for await (const _ of this.deps.store.list(PROBE_PREFIX)) break;
    return 'answers';
  }
}
