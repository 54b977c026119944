/** An isolated, migrated database per test file, dropped when the file is done. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { dropDatabase, ensureDatabase, migrateDatabase, withDatabase } from '../../scripts/lib/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by postgres.global.ts: the server on which each test file creates its database. */
    postgresServerUrl: string;
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase({ migrate = true } = {}): Promise<TestDatabase> {
  const serverUrl = inject('postgresServerUrl');
  const name = `rushes_test_${randomBytes(5).toString('hex')}`;
  await ensureDatabase(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  if (migrate) await migrateDatabase(url);
  return { url, drop: () => dropDatabase(serverUrl, name) };
}
