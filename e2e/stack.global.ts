/**
 * Starts the whole platform the way a user does (`scripts/start.ts`, which `npm start` runs
 * after building) on free ports and a fresh database, and stops it after the run.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropDatabase, ensureDatabase, withDatabase } from '../scripts/lib/database.ts';
import { freePort } from '../test/support/postgres.global.ts';
import { makeSharedTempDir } from '../scripts/lib/embedded-postgres.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export default async function globalSetup() {
  const [apiPort, webPort, pgPort] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_PORT: String(apiPort),
    WEB_PORT: String(webPort),
    RUSHES_PG_PORT: String(pgPort),
    LOG_LEVEL: 'warn',
  };
  delete env['DATABASE_URL'];
  const server = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
  const database = `rushes_e2e_${randomBytes(4).toString('hex')}`;
  let dataDir: string | undefined;
  if (server) {
    await ensureDatabase(server, database);
    env['DATABASE_URL'] = withDatabase(server, database);
  } else {
    dataDir = await makeSharedTempDir('rushes-e2e-');
    env['RUSHES_DATA_DIR'] = dataDir;
  }

  const stack = spawn(process.execPath, [path.join(root, 'scripts/start.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the stack did not start in 120 s:\n${output}`)),
      120_000,
    );
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Rushes is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    stack.stdout.on('data', collect);
    stack.stderr.on('data', collect);
    stack.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited (${code}) before it was running:\n${output}`));
    });
  });
  stack.removeAllListeners('exit');
  // For specs that seed what would take the worker minutes to make (a roll of thousands of clips).
  process.env['E2E_DATABASE_URL'] =
    env['DATABASE_URL'] ??
    (JSON.parse(await readFile(path.join(dataDir!, 'connection.json'), 'utf8')) as { DATABASE_URL: string })
      .DATABASE_URL;
  process.env['E2E_WEB_URL'] = `http://localhost:${webPort}`;
  process.env['E2E_API_URL'] = `http://localhost:${apiPort}/graphql`;

  return async () => {
    const exited = new Promise((resolve) => stack.once('exit', resolve));
    stack.kill('SIGTERM');
    await exited;
    if (server) await dropDatabase(server, database);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
