/**
 * Global set-up of the integration tests: the PostgreSQL server they create their databases on.
 * TEST_DATABASE_URL or DATABASE_URL when set (CI points it at the machine's server), otherwise an
 * embedded PostgreSQL in a temporary folder, removed afterwards.
 */
import { chmod, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres.ts';

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
  // As root the server runs as the postgres user, which must be able to enter the folder
  // (mkdtemp makes it private to its owner).
  const folder = await mkdtemp(path.join(tmpdir(), 'rushes-test-pg-'));
  await chmod(folder, 0o755);
  const dataDir = path.join(folder, 'data');
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  project.provide('postgresServerUrl', server.serverUrl);
  return () => server.stop();
}
