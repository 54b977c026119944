import { createDatabase as openDatabase, type Database } from '@rushes/data/db';
import type pg from 'pg';

export type { Database };

/** The api's pool (10 connections, `rushes-api` in pg_stat_activity); see @rushes/data/db. */
export function createDatabase(
  url: string,
  onIdleError: (error: Error) => void,
): { db: Database; pool: pg.Pool } {
  return openDatabase(url, { max: 10, applicationName: 'rushes-api', onIdleError });
}
