import * as tables from '@rushes/schema/tables';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

export type Database = NodePgDatabase<typeof tables>;

export function createDatabase(url: string, max: number): { db: Database; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'rushes-worker' });
  return { db: drizzle(pool, { schema: tables }), pool };
}
