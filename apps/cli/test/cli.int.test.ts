/** `rushes ingest` as a DIT runs it (the built CLI), with a worker processing the roll. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { productions, users } from '@rushes/schema/tables';
import { LocalBlobStore } from '@rushes/storage';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createDatabase } from '@rushes/worker/db';
import { startWorker, type RunningWorker } from '@rushes/worker/worker';
import { makeCard } from '../../worker/test/support/card.ts';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let database: TestDatabase;
let worker: RunningWorker;
let resources: ReturnType<typeof createDatabase>;
let storeDir: string;
let card: string;
const secret = 'c'.repeat(32);

function rushes(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    DATABASE_URL: database.url,
    STORAGE_DIR: storeDir,
    STORAGE_SIGNING_SECRET: secret,
    RUSHES_DATA_DIR: storeDir,
  };
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { env, timeout: 120_000 },
      (_e, stdout, stderr) => resolve({ status: child.exitCode ?? -1, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  resources = createDatabase(database.url, 2, (error) => {
    throw error;
  });
  storeDir = await mkdtemp(path.join(tmpdir(), 'rushes-cli-store-'));
  card = await makeCard();
  await writeFile(path.join(card, 'A001C001M01.XML'), '<camera/>');
  await resources.db.insert(productions).values({ name: 'Night Shift', code: 'NS' });
  worker = await startWorker(
    {
      DATABASE_URL: database.url,
      WORKER_CONCURRENCY: 2,
      WORKER_QUEUES: ['clip.verify', 'clip.probe', 'clip.render'],
      WORKER_ID: 'cli-test',
    },
    pino({ level: 'silent' }),
    { store: new LocalBlobStore({ root: storeDir, secret, publicUrl: 'http://127.0.0.1:1' }) },
  );
});

afterAll(async () => {
  await worker?.stop(5_000);
  await resources?.pool.end();
  await database?.drop();
  await rm(storeDir, { recursive: true, force: true });
  await rm(card, { recursive: true, force: true });
});

describe('rushes ingest', () => {
  it('imports a card, waits, and reports every clip with its code (exit 1: not all ready)', async () => {
    const { status, stdout, stderr } = await rushes(
      'ingest',
      card,
      '--production',
      'ns',
      '--roll',
      'A001',
      '--wait',
      '--json',
    );
    expect(stderr).toBe('');
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as {
      sidecars: string[];
      manifests: string[];
      clips: { path: string; state: string; errorCode: string | null }[];
    };
    expect(report.manifests).toEqual(['A001.mhl']);
    expect(report.sidecars).toEqual(['A001C001M01.XML']);
    expect(report.clips.map((c) => [c.path.slice(0, 8), c.state, c.errorCode])).toEqual([
      ['A001C001', 'ready', null],
      ['A001C002', 'ready', null],
      ['A001C003', 'ready', null],
      ['A001C004', 'failed', 'CHECKSUM_MISMATCH'],
      ['A001C005', 'failed', 'TRUNCATED'],
    ]);
  });

  it('says what is wrong: an unknown production, a roll that exists, a missing argument', async () => {
    expect(await rushes('ingest', card, '--production', 'XX', '--roll', 'B001')).toMatchObject({
      status: 1,
      stderr: 'rushes: no production with code XX\n',
    });
    expect(await rushes('ingest', card, '--production', 'NS', '--roll', 'A001')).toMatchObject({
      status: 1,
      stderr: 'rushes: roll A001 already exists in production NS\n',
    });
    expect((await rushes('ingest', card, '--production', 'NS')).status).toBe(2);
  });

  it('creates accounts from the shell: the first is the admin, a bad password or a taken e-mail is refused', async () => {
    const first = await rushes(
      'user',
      'create',
      '--email',
      'Admin@Example.com',
      '--password',
      'long enough password',
    );
    expect(first).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^created admin account admin@example.com /),
    });
    const second = await rushes(
      'user',
      'create',
      '--email',
      'dit@example.com',
      '--password',
      'long enough password',
    );
    expect(second.stdout).toMatch(/^created account dit@example.com /);
    expect(await rushes('user', 'create', '--email', 'x@example.com', '--password', 'short')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^rushes: --password: A password needs at least 10 characters\.\n/),
    });
    expect(
      await rushes('user', 'create', '--email', 'x@example.com', '--password', 'password12'),
    ).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(
        /^rushes: --password: This password is too easy to guess\. This is a commonly used password\./,
      ),
    });
    expect(
      await rushes('user', 'create', '--email', 'ADMIN@example.com', '--password', 'long enough password'),
    ).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^rushes: an account for admin@example.com already exists/),
    });
    const rows = await resources.db
      .select({ email: users.email, isAdmin: users.isAdmin })
      .from(users)
      .orderBy(users.email);
    expect(rows).toEqual([
      { email: 'admin@example.com', isAdmin: true },
      { email: 'dit@example.com', isAdmin: false },
    ]);
  });
});
