/**
 * An isolated, migrated database per test file, dropped when the file is done: a copy of the
 * template database that postgres.global.ts migrated once for the whole run.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import {
  copyDatabase,
  dropDatabase,
  ensureDatabase,
  migrateDatabase,
  withDatabase,
} from '../../scripts/lib/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by postgres.global.ts: the server on which each test file creates its database. */
    postgresServerUrl: string;
    /** Set by postgres.global.ts: a migrated database on that server, copied for each test file. */
    postgresTemplate: string;
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new database: migrated (a copy of the run's template) unless `migrate` is false (empty). */
export async function createTestDatabase({ migrate = true } = {}): Promise<TestDatabase> {
  const serverUrl = inject('postgresServerUrl');
  const name = `rushes_test_${randomBytes(5).toString('hex')}`;
  const template = inject('postgresTemplate');
  const url = withDatabase(serverUrl, name);
  if (migrate && template) {
    await copyDatabase(serverUrl, template, name);
  } else {
    await ensureDatabase(serverUrl, name);
    if (migrate) await migrateDatabase(url);
  }
  return { url, drop: () => dropDatabase(serverUrl, name) };
}
