/**
 * Global set-up of the integration tests: the PostgreSQL server they create their databases on.
 * TEST_DATABASE_URL or DATABASE_URL when set (CI points it at the machine's server), otherwise an
 * embedded PostgreSQL in a temporary folder, removed afterwards.
 */
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
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
  if (external) {
    project.provide('postgresServerUrl', external);
    return;
  }
  // As root the server runs as the postgres user, which must be able to enter its folder.
  const server = await startTemporaryPostgres(await freePort(), 'rushes-test-pg-');
  project.provide('postgresServerUrl', server.serverUrl);
  return () => server.stop();
}
