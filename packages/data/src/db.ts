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

/**
 * Runs `work` in one transaction on one connection: rows, events (NOTIFY is transactional) and
 * the jobs sent on `client` commit together or not at all.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (tx: Database, client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(drizzle(client, { schema: tables }), client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
