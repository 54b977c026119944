/** A migrated database of its own for a test file, and a pool on it; both gone after the file. */
import { productions } from '@rushes/schema/tables';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createDatabase, type Database } from '../src/db.ts';

/** Call at the top of a test file; the handle is filled before its first test. */
export function useTestDatabase(): { db: Database; pool: pg.Pool; url: string } {
  const handle = {} as { db: Database; pool: pg.Pool; url: string };
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    const { db, pool } = createDatabase(database.url, {
      max: 4,
      applicationName: 'rushes-data-test',
      onIdleError: () => {},
    });
    Object.assign(handle, { db, pool, url: database.url });
  });
  afterAll(async () => {
    await handle.pool?.end();
    await database?.drop();
  });
  return handle;
}

/** A production to hang test rows on (`code` unique per database). */
export async function newProduction(db: Database, code: string) {
  const [row] = await db.insert(productions).values({ name: code, code }).returning();
  return row!;
}
