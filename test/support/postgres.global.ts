/**
 * Global set-up of the integration tests: the PostgreSQL server they create their databases on.
 * TEST_DATABASE_URL or DATABASE_URL when set (CI points it at the machine's server), otherwise an
 * embedded PostgreSQL in a temporary folder, removed afterwards. The migrations are applied once,
 * to a template database each test file's database is copied from (database.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { dropDatabase, ensureDatabase, migrateDatabase, withDatabase } from '../../scripts/lib/database.ts';
import { startTemporaryPostgres } from '../../scripts/lib/embedded-postgres.ts';

import type {} from './database.ts';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export default async function setup(project: TestProject) {
  const external = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
  // As root the server runs as the postgres user, which must be able to enter its folder.
  const server = external ? undefined : await startTemporaryPostgres(await freePort(), 'rushes-test-pg-');
  const serverUrl = external ?? server!.serverUrl;
  const template = `rushes_template_${randomBytes(5).toString('hex')}`;
  try {
    await ensureDatabase(serverUrl, template);
    await migrateDatabase(withDatabase(serverUrl, template));
  } catch (error) {
    await dropDatabase(serverUrl, template).catch(() => {});
    await server?.stop();
    throw error;
  }
  project.provide('postgresServerUrl', serverUrl);
  project.provide('postgresTemplate', template);
  return async () => {
    await dropDatabase(serverUrl, template);
    await server?.stop();
  };
}
