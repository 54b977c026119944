import { createDatabase as openDatabase, type Database } from '@rushes/data/db';
import type pg from 'pg';

export type { Database };

/** The worker's pool (`max` connections, `rushes-worker` in pg_stat_activity); see @rushes/data/db. */
export function createDatabase(
  url: string,
  max: number,
  onIdleError: (error: Error) => void,
): { db: Database; pool: pg.Pool } {
  return openDatabase(url, { max, applicationName: 'rushes-worker', onIdleError });
}
