import * as tables from '@rushes/schema/tables';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

export type Database = NodePgDatabase<typeof tables>;

/**
 * `onIdleError`: an idle pooled connection was lost (PostgreSQL restarted, a network cut). The
 * pool drops it and opens a new one on the next query; without a listener the 'error' event
 * would end the process.
 */
export function createDatabase(
  url: string,
  max: number,
  onIdleError: (error: Error) => void,
): { db: Database; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'rushes-worker' });
  pool.on('error', onIdleError);
  return { db: drizzle(pool, { schema: tables }), pool };
}
