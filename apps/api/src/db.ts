import { createDatabase as openDatabase, type Database } from '@rushes/data/db';
import type pg from 'pg';

export type { Database };

/**
 * The api's one pool (`max` connections, default DATABASE_POOL_SIZE 10; `rushes-api` in
 * pg_stat_activity), shared with its queue; see @rushes/data/db.
 */
export function createDatabase(
  url: string,
  onIdleError: (error: Error) => void,
  max = 10,
): { db: Database; pool: pg.Pool } {
  return openDatabase(url, { max, applicationName: 'rushes-api', onIdleError });
}
