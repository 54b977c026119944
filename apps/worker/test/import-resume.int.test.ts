/**
 * Imports that survive what kills them (issue #20): PostgreSQL restarted, or the worker killed
 * (-9), during a 2,000-file import. The retried roll.import continues where the last attempt
 * stopped, and every file ends as exactly one clip with exactly one verify task and job. A card
 * that cannot be finished ends the roll `failed`, saying how many files were not imported.
 *
 * Workers here take only the import queues: the verify jobs the import queues just wait, so the
 * test measures the import alone. The card's files are small and not media — the importer only
 * copies and records them.
 */
import { mkdir, realpath, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { clips, importRoots, productions, rolls, tasks } from '@rushes/schema/tables';
import { eq, sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { jobNames, queueOptions } from '@rushes/schema/jobs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureDatabase, migrateDatabase, withDatabase } from '../../../scripts/lib/database.ts';
import {
  makeSharedTempDir,
  startEmbeddedPostgres,
  type RunningPostgres,
} from '../../../scripts/lib/embedded-postgres.ts';
import { freePort } from '../../../test/support/postgres.global.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { createDatabase } from '../src/db.ts';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.ts';

const SECRET = 's'.repeat(32);
const FILES = 2_000;

let folder: string;
let postgres: RunningPostgres;
let options: { dataDir: string; port: number };
let url: string;
let resources: ReturnType<typeof createDatabase>;
let boss: PgBoss;
let productionId: string;
const workers: WorkerProcess[] = [];

/** A card of `count` small files under the folder's cards/ (an import root). */
async function makeCard(name: string, count: number): Promise<string> {
  const card = path.join(folder, 'cards', name);
  await mkdir(path.join(card, 'CLIPS'), { recursive: true });
  for (let i = 0; i < count; i += 1) {
    const file = `${name}C${String(i).padStart(4, '0')}.mov`;
    await writeFile(path.join(card, 'CLIPS', file), `${name} clip ${i}\n`.repeat(8));
  }
  await writeFile(path.join(card, 'notes.txt'), 'camera report');
  return card;
}

function spawnWorker(id: string): WorkerProcess {
  const worker = startWorkerProcess({
    DATABASE_URL: url,
    STORAGE_DIR: path.join(folder, 'store'),
    STORAGE_SIGNING_SECRET: SECRET,
    WORKER_ID: id,
    WORKER_CONCURRENCY: '1',
    WORKER_QUEUES: 'roll.import,roll.import.failed',
    LOG_LEVEL: 'info',
  });
  workers.push(worker);
  return worker;
}

/** An api-created roll with its roll.import job, as importRoll makes them. */
async function requestImport(name: string, card: string): Promise<string> {
  const [roll] = await resources.db
    .insert(rolls)
    .values({ productionId, name, sourceLocation: card })
    .returning({ id: rolls.id });
  await boss.send('roll.import', { rollId: roll!.id, location: card });
  return roll!.id;
}

async function rollRow(rollId: string) {
  const [roll] = await resources.db
    .select()
    .from(rolls)
    .where(eq(rolls.id, rollId))
    .catch(() => []);
  return roll;
}

async function untilDone(rollId: string, atLeast: number, timeoutMs = 120_000) {
  return waitFor(
    `the import to store ${atLeast} files`,
    async () => {
      const roll = await rollRow(rollId);
      return roll && (roll.importFilesDone ?? 0) >= atLeast ? roll : undefined;
    },
    timeoutMs,
  );
}

/** Every card file exactly one clip, with one verify task and one queued verify job. */
async function expectEveryFileOnce(rollId: string) {
  const rows = await resources.db
    .select({ id: clips.id, path: clips.originalPath, size: clips.sizeBytes })
    .from(clips)
    .where(eq(clips.rollId, rollId));
  expect(rows).toHaveLength(FILES);
  expect(new Set(rows.map((r) => r.path)).size).toBe(FILES);
  expect(rows.filter((r) => !r.size)).toEqual([]);
  const [verify] = await resources.db
    .select({ n: sql<number>`count(*)::int` })
    .from(tasks)
    .innerJoin(clips, eq(clips.id, tasks.clipId))
    .where(eq(clips.rollId, rollId));
  expect(verify!.n).toBe(FILES);
  const { rows: jobs } = await resources.pool.query<{ n: number; clips: number }>(
    `select count(*)::int as n, count(distinct data->>'clipId')::int as clips
       from pgboss.job j join clips c on c.id = (j.data->>'clipId')::uuid
      where j.name = 'clip.verify' and c.roll_id = $1`,
    [rollId],
  );
  expect(jobs[0]).toEqual({ n: FILES, clips: FILES });
}

beforeAll(async () => {
  folder = await realpath(await makeSharedTempDir('rushes-import-resume-'));
  options = { dataDir: path.join(folder, 'data'), port: await freePort() };
  postgres = await startEmbeddedPostgres(options);
  url = withDatabase(postgres.serverUrl, 'rushes_resume');
  await ensureDatabase(postgres.serverUrl, 'rushes_resume');
  await migrateDatabase(url);
  resources = createDatabase(url, 4, () => {});
  boss = new PgBoss({ connectionString: url, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  for (const name of jobNames) await boss.createQueue(name, queueOptions(name));
  const [production] = await resources.db
    .insert(productions)
    .values({ name: 'Resume', code: 'RS' })
    .returning({ id: productions.id });
  productionId = production!.id;
  await resources.db.insert(importRoots).values({ location: path.join(folder, 'cards') });
}, 120_000);

// Each case's workers stop with it: a worker left from an earlier case would take the next
// case's import (and, in the restart case, do the work the case means its own worker to do).
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await boss?.stop({ graceful: false });
  await resources?.pool.end();
  await postgres?.stop();
  await rm(folder, { recursive: true, force: true });
}, 60_000);

describe('a 2,000-file import interrupted', () => {
  it(
    'by kill -9 of its worker: another continues it; every file one clip',
    { timeout: 240_000 },
    async () => {
      const card = await makeCard('K001', FILES);
      const first = spawnWorker('first');
      const rollId = await requestImport('K001', card);
      await untilDone(rollId, 300);
      first.kill();
      const stoppedAt = (await rollRow(rollId))!.importFilesDone!;
      expect(stoppedAt).toBeLessThan(FILES);
      const second = spawnWorker('second');
      const roll = await untilDone(rollId, FILES + 1);
      expect(roll).toMatchObject({
        importFilesTotal: FILES + 1,
        importFilesDone: FILES + 1,
        errorMessage: null,
      });
      expect(roll.state).toBe('processing');
      await expectEveryFileOnce(rollId);
      expect(second.output()).toContain('continued an interrupted import');
    },
  );

  it('by a PostgreSQL restart: the import continues once it is back', { timeout: 240_000 }, async () => {
    const card = await makeCard('P001', FILES);
    const worker = spawnWorker('steady');
    const rollId = await requestImport('P001', card);
    await untilDone(rollId, 300);
    await postgres.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    postgres = await startEmbeddedPostgres(options);
    // The worker's log in the message: what it did with the restart is the interesting part.
    const roll = await untilDone(rollId, FILES + 1, 180_000).catch((error: Error) => {
      throw new Error(`${error.message}; the worker's log:\n${worker.output()}`);
    });
    expect(roll).toMatchObject({ importFilesTotal: FILES + 1, errorMessage: null });
    expect(worker.child.exitCode, worker.output()).toBeNull();
    await expectEveryFileOnce(rollId);
  });

  it(
    'by a file that vanished from the card: the roll fails saying how many were not imported',
    { timeout: 120_000 },
    async () => {
      const card = await makeCard('V001', 400);
      spawnWorker('vanished');
      const rollId = await requestImport('V001', card);
      await untilDone(rollId, 50);
      await unlink(path.join(card, 'CLIPS', 'V001C0399.mov'));
      const roll = await waitFor(
        'the roll to fail',
        async () => {
          const row = await rollRow(rollId);
          return row?.state === 'failed' ? row : undefined;
        },
        60_000,
      );
      // 400 clips and the notes: the last clip and the notes were not stored.
      expect(roll.errorMessage).toBe(
        '2 of 401 files were not imported: CLIPS/V001C0399.mov disappeared from the card while it was being imported',
      );
    },
  );
});

describe('a worker starting', () => {
  it('while PostgreSQL is down waits for it, then takes jobs', { timeout: 120_000 }, async () => {
    await postgres.stop();
    const worker = spawnWorker('early');
    await waitFor(
      'the worker to say it waits for the database',
      async () => (worker.output().includes('the database is not answering') ? true : undefined),
      60_000,
    );
    postgres = await startEmbeddedPostgres(options);
    await worker.ready();
    expect(worker.child.exitCode, worker.output()).toBeNull();
  });
});
