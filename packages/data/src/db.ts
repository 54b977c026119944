/**
 * The database handle every repository takes. Only this module opens connections; a repository
 * function is given a `Database` (the pool, or one transaction's connection) by its caller, so
 * which statements commit together is decided, visibly, where the work starts.
 */
import * as tables from '@rushes/schema/tables';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

/** Drizzle over the pool or over one transaction's connection: repositories accept either. */
export type Database = NodePgDatabase<typeof tables>;

export interface DatabaseOptions {
  /** Connections the pool opens at most. */
  max: number;
  /** Shown in `pg_stat_activity`, e.g. `rushes-api`. */
  applicationName: string;
  /**
   * An idle pooled connection was lost (PostgreSQL restarted, a network cut). The pool drops it
   * and opens a new one on the next query; without a listener the 'error' event would end the
   * process.
   */
  onIdleError: (error: Error) => void;
}

export function createDatabase(url: string, options: DatabaseOptions): { db: Database; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    application_name: options.applicationName,
  });
  pool.on('error', options.onIdleError);
  return { db: drizzle(pool, { schema: tables }), pool };
}

/** Connection errors of a server that is down, restarting or unreachable (node's socket codes). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Whether `error` says the database is not there right now (down, restarting, unreachable) rather
 * than that something is wrong: the same statement may succeed once it is back. SQLSTATE class 08
 * (connection exception), 57P01 (terminated by an administrator: a shutdown), 57P02 (crash
 * shutdown), 57P03 (cannot connect now: starting up or shutting down), the socket codes above,
 * and pg's own errors for a connection already lost ("Connection terminated …", "Client has
 * encountered a connection error and is not queryable"), which carry no code.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNREACHABLE.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code))
      return true;
  }
  return /^Connection terminated|has encountered a connection error and is not queryable/.test(error.message);
}

/**
 * Runs `work` in one transaction on one connection: rows, events (NOTIFY is transactional) and
 * the jobs sent on `client` commit together or not at all.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (tx: Database, client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no pool listener: its connection lost (PostgreSQL restarting, a
  // network cut) between two statements would emit 'error' unheard and end the process. The
  // loss is recorded and the client is released with it, so the pool discards the connection;
  // the statement in flight (or the next one) fails and the caller sees that.
  let lost: Error | undefined;
  const onLost = (error: Error) => (lost ??= error);
  client.on('error', onLost);
  let failed: unknown;
  try {
    await client.query('begin');
    const result = await work(drizzle(client, { schema: tables }), client);
    await client.query('commit');
    return result;
  } catch (error) {
    failed = error;
    // The transaction's own error is the one to report, not a rollback's on a dead connection.
    await client.query('rollback').catch((rollbackError: unknown) => (lost ??= rollbackError as Error));
    throw error;
  } finally {
    client.off('error', onLost);
    client.release(lost ?? (isDatabaseUnavailable(failed) ? (failed as Error) : undefined));
  }
}
