import * as tables from '@rushes/schema/tables';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

export type Database = NodePgDatabase<typeof tables>;

/** `onIdleError`: see apps/worker/src/db.ts — a lost idle connection must not end the process. */
export function createDatabase(
  url: string,
  onIdleError: (error: Error) => void,
): { db: Database; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'rushes-api' });
  pool.on('error', onIdleError);
  return { db: drizzle(pool, { schema: tables }), pool };
}
