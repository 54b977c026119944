/**
 * Crashes during a roll, with workers as real processes: kill -9 of a worker (and its ffmpeg)
 * mid-render while a second one runs, and a PostgreSQL restart mid-roll. Either way every clip
 * ends ready exactly once: one row per clip and rendition, no object or temporary folder left
 * from the abandoned attempt.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clips, productions, renditions, rolls, tasks } from '@rushes/schema/tables';
import { LocalBlobStore, type BlobStore } from '@rushes/storage';
import { and, eq, gt, inArray } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { jobNames, queueOptions } from '@rushes/schema/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDatabase, migrateDatabase, withDatabase } from '../../../scripts/lib/database.ts';
import {
  makeSharedTempDir,
  startEmbeddedPostgres,
  type RunningPostgres,
} from '../../../scripts/lib/embedded-postgres.ts';
import { createTestDatabase } from '../../../test/support/database.ts';
import { freePort } from '../../../test/support/postgres.global.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { createDatabase } from '../src/db.ts';
import { instanceRuns, sweepJobFolders } from '../src/files.ts';
import { importFolder } from '../src/ingest.ts';
import { makeGoodCard } from './support/card.ts';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.ts';

const SECRET = 's'.repeat(32);
const CLIPS = 4;
/** Review: proxy, poster, thumbnail, strip (+ .json, .vtt); Premiere: proxy. */
const RENDITIONS_PER_CLIP = 7;

let card: string;
let storeDir: string;
let store: BlobStore;
beforeAll(async () => {
  card = await makeGoodCard(CLIPS, '640x360', 4);
});
afterAll(() => rm(card, { recursive: true, force: true }));

interface Stack {
  url: string;
  resources: ReturnType<typeof createDatabase>;
  boss: PgBoss;
  workers: WorkerProcess[];
}

async function openStack(url: string): Promise<Stack> {
  storeDir = await mkdtemp(path.join(tmpdir(), 'rushes-store-'));
  workersTemp = await mkdtemp(path.join(tmpdir(), 'rushes-workers-tmp-'));
  store = new LocalBlobStore({ root: storeDir, secret: SECRET, publicUrl: 'http://127.0.0.1:1' });
  // The restart test ends connections under the test's own pool too.
  const resources = createDatabase(url, 4, () => {});
  const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  for (const name of jobNames) await boss.createQueue(name, queueOptions(name));
  await resources.db
    .insert(productions)
    .values({ name: 'Crash Test', code: 'CT', proxyProfiles: [{ id: 'premiere' }] });
  return { url, resources, boss, workers: [] };
}

/**
 * The workers' temporary root, their own: workers started by other test files sweep the shared
 * one at start-up, which would remove what the killed worker left before this test looks.
 */
let workersTemp: string;

function spawnWorker(stack: Stack, id: string): WorkerProcess {
  const worker = startWorkerProcess({
    TMPDIR: workersTemp,
    DATABASE_URL: stack.url,
    STORAGE_DIR: storeDir,
    STORAGE_SIGNING_SECRET: SECRET,
    WORKER_ID: id,
    WORKER_CONCURRENCY: '1',
  });
  stack.workers.push(worker);
  return worker;
}

async function closeStack(stack: Stack | undefined) {
  if (!stack) return;
  await Promise.all(stack.workers.map((w) => w.stop()));
  await stack.boss.stop({ graceful: false });
  await stack.resources.pool.end();
  await rm(storeDir, { recursive: true, force: true });
  await rm(workersTemp, { recursive: true, force: true });
}

async function settledRoll(stack: Stack, rollId: string, timeoutMs: number) {
  try {
    return await waitFor(
      'the roll to settle',
      async () => {
        const [roll] = await stack.resources.db
          .select()
          .from(rolls)
          .where(eq(rolls.id, rollId))
          .catch(() => []);
        return roll && !['pending', 'processing'].includes(roll.state) ? roll : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    const history = await stack.resources.db
      .select({ kind: tasks.kind, state: tasks.state, attempt: tasks.attempt, code: tasks.errorCode })
      .from(tasks);
    const outputs = stack.workers.map((w) => w.output().slice(-3000));
    throw new Error(`${(error as Error).message}\n${JSON.stringify(history)}\n${outputs.join('\n---\n')}`);
  }
}

/** Every clip ready once, with its renditions once, and nothing else stored under renditions/. */
async function expectEveryClipReadyOnce(stack: Stack, rollId: string) {
  const rows = await stack.resources.db.select().from(clips).where(eq(clips.rollId, rollId));
  expect(rows.map((c) => c.state)).toEqual(Array(CLIPS).fill('ready'));
  const made = await stack.resources.db
    .select()
    .from(renditions)
    .where(
      inArray(
        renditions.clipId,
        rows.map((c) => c.id),
      ),
    );
  expect(made).toHaveLength(CLIPS * RENDITIONS_PER_CLIP);
  expect(made.every((r) => r.state === 'ready')).toBe(true);
  const stored: string[] = [];
  for await (const o of store.list(`productions/${rows[0]!.productionId}/rolls/${rollId}/renditions/`))
    stored.push(o.key);
  expect(stored.sort()).toEqual(made.map((r) => r.objectKey!).sort());
}

describe('kill -9 of a worker mid-render while another runs', () => {
  let stack: Stack | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  afterAll(async () => {
    await closeStack(stack);
    await database?.drop();
  }, 60_000);

  it('hands the job to the other worker; the roll converges', { timeout: 240_000 }, async () => {
    database = await createTestDatabase();
    stack = await openStack(database.url);
    const victim = spawnWorker(stack, 'victim');
    spawnWorker(stack, 'survivor');
    const { rollId } = await importFolder(
      { ...stack.resources, store, boss: stack.boss },
      { dir: card, productionCode: 'CT', rollName: 'B001' },
    );
    const running = await waitFor(
      'the victim to be rendering',
      async () => {
        const [task] = await stack!.resources.db
          .select()
          .from(tasks)
          .where(
            and(
              eq(tasks.workerId, 'victim'),
              eq(tasks.state, 'running'),
              inArray(tasks.kind, ['review', 'proxy:premiere']),
              // ffmpeg has started writing (progress is reported from inside the render).
              gt(tasks.progress, 0),
            ),
          );
        return task;
      },
      60_000,
    );
    victim.kill();

    await settledRoll(stack, rollId, 120_000);
    await expectEveryClipReadyOnce(stack, rollId);
    const [retried] = await stack.resources.db.select().from(tasks).where(eq(tasks.id, running.id));
    expect(retried).toMatchObject({ state: 'succeeded', workerId: 'survivor' });
    expect(retried!.attempt).toBeGreaterThanOrEqual(2);
    // What the killed worker was writing is swept by the next worker to start on this machine.
    const jobsTemp = path.join(workersTemp, 'rushes-jobs');
    const deadOwners = async () => (await readdir(jobsTemp)).filter((name) => !instanceRuns(name));
    expect(await deadOwners()).toEqual([expect.stringMatching(new RegExp(`^${victim.child.pid}-`))]);
    await sweepJobFolders(jobsTemp);
    expect(await deadOwners()).toEqual([]);
  });
});

describe('PostgreSQL restarting mid-roll', () => {
  let stack: Stack | undefined;
  let postgres: RunningPostgres | undefined;
  let folder: string;
  afterAll(async () => {
    await closeStack(stack);
    await postgres?.stop();
    await rm(folder, { recursive: true, force: true });
  }, 60_000);

  it('resumes processing once the database is back', { timeout: 240_000 }, async () => {
    folder = await makeSharedTempDir('rushes-restart-pg-');
    const port = await freePort();
    const options = { dataDir: path.join(folder, 'data'), port };
    postgres = await startEmbeddedPostgres(options);
    const url = withDatabase(postgres.serverUrl, 'rushes_restart');
    await ensureDatabase(postgres.serverUrl, 'rushes_restart');
    await migrateDatabase(url);
    stack = await openStack(url);
    const worker = spawnWorker(stack, 'steady');
    const { rollId } = await importFolder(
      { ...stack.resources, store, boss: stack.boss },
      { dir: card, productionCode: 'CT', rollName: 'B002' },
    );
    await waitFor(
      'a first clip to be ready',
      async () => {
        const ready = await stack!.resources.db
          .select()
          .from(clips)
          .where(and(eq(clips.rollId, rollId), eq(clips.state, 'ready')));
        return ready.length > 0 ? ready : undefined;
      },
      60_000,
    );
    await postgres.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    postgres = await startEmbeddedPostgres(options);

    await settledRoll(stack, rollId, 120_000);
    expect(worker.child.exitCode, worker.output()).toBeNull();
    await expectEveryClipReadyOnce(stack, rollId);
  });
});
