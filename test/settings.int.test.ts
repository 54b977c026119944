/** Each process refuses a malformed setting at start-up, naming it (runs the built apps). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function start(
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(root, entry), ...args],
      { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 30_000 },
      (_error, _stdout, stderr) => resolve({ status: child.exitCode, stderr }),
    );
  });
}

const db = { DATABASE_URL: 'postgres://127.0.0.1:1/none' };

describe('start-up settings', () => {
  it.each([
    [
      'api',
      'apps/api/dist/main.js',
      { ...db, PORT: 'abc' },
      /rushes api: invalid settings\n {2}- PORT="abc": expected a port number/,
    ],
    [
      'worker',
      'apps/worker/dist/main.js',
      { ...db, WORKER_HEALTH_PORT: 'abc' },
      /rushes worker: invalid settings\n {2}- WORKER_HEALTH_PORT="abc": expected a port number/,
    ],
    [
      'web',
      'apps/web/dist/server.js',
      { PORT: 'abc' },
      /rushes web: invalid settings\n {2}- PORT="abc": expected a port number/,
    ],
    [
      'web with an api address it cannot use',
      'apps/web/dist/server.js',
      { RUSHES_API_SERVER_URL: 'ftp://api:4000/graphql' },
      /RUSHES_API_SERVER_URL="ftp:\/\/api:4000\/graphql": expected an http:\/\/ or https:\/\/ URL/,
    ],
    [
      'npm start',
      'scripts/start.ts',
      { API_PORT: 'abc' },
      /rushes start: invalid settings\n {2}- API_PORT="abc"/,
    ],
    ['api without a database', 'apps/api/dist/main.js', {}, /DATABASE_URL is required but not set/],
    [
      'api open to every origin on a public address',
      'apps/api/dist/main.js',
      { ...db, PUBLIC_API_URL: 'https://api.example.com', CORS_ORIGINS: '*' },
      /CORS_ORIGINS=\* lets every web site’s pages call the api .* CORS_ALLOW_ANY_ORIGIN=true/,
    ],
    [
      'api on a public address without an allow-list',
      'apps/api/dist/main.js',
      { ...db, PUBLIC_API_URL: 'https://api.example.com' },
      /CORS_ORIGINS is required when PUBLIC_API_URL \(https:\/\/api.example.com\) is not on localhost/,
    ],
    [
      'web with a media origin that is not one',
      'apps/web/dist/server.js',
      { MEDIA_ORIGINS: 'https://s3.example.com/bucket' },
      /MEDIA_ORIGINS="https:\/\/s3.example.com\/bucket": "https:\/\/s3.example.com\/bucket" is not an origin/,
    ],
    [
      'worker with an unknown queue',
      'apps/worker/dist/main.js',
      { ...db, WORKER_QUEUES: 'production.setup,nope' },
      /WORKER_QUEUES="production.setup,nope": unknown queue "nope"; known queues: production.setup/,
    ],
    [
      'worker with zero concurrency',
      'apps/worker/dist/main.js',
      { ...db, WORKER_CONCURRENCY: '0' },
      /WORKER_CONCURRENCY="0": must be ≥ 1/,
    ],
  ])('%s refuses to start (exit 78) and names the variable', async (_name, entry, env, message) => {
    const { status, stderr } = await start(entry, env);
    expect(stderr).toMatch(message);
    expect(status).toBe(78);
  });

  it('worker flags are checked like the settings they override', async () => {
    const { status, stderr } = await start(
      'apps/worker/dist/main.js',
      { ...db, STORAGE_SIGNING_SECRET: 'x'.repeat(32) },
      ['--queues', 'clip.proxy'],
    );
    expect(stderr).toMatch(/WORKER_QUEUES="clip.proxy": unknown queue "clip.proxy"/);
    expect(status).toBe(78);
    expect((await start('apps/worker/dist/main.js', db, ['--bogus'])).status).toBe(2);
  });
});
