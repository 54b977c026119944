/**
 * A worker's life as an orchestrator sees it, with workers as real processes:
 * - probes: /healthz and /readyz on WORKER_HEALTH_PORT; a port in use stops the worker before it
 *   announces "worker ready", with a message naming the port and the setting;
 * - SIGTERM mid-render with a short drain (WORKER_DRAIN_SECONDS): the render is stopped, its task
 *   recorded queued with code INTERRUPTED (not failed), its job handed back at once without
 *   spending an attempt, and a worker started afterwards finishes it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jobNames, LANES, queueOptions } from '@rushes/schema/jobs';
import { clips, productions, rolls, tasks } from '@rushes/schema/tables';
import { LocalBlobStore, type BlobStore } from '@rushes/storage';
import { and, eq, gt, inArray } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { freePort } from '../../../test/support/postgres.global.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { createDatabase } from '../src/db.ts';
import { importFolder } from '../src/ingest.ts';
import { makeGoodCard } from './support/card.ts';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.ts';
import { parseMetrics } from '../../../test/support/metrics.ts';

const SECRET = 's'.repeat(32);

let database: TestDatabase;
let resources: ReturnType<typeof createDatabase>;
let boss: PgBoss;
let storeDir: string;
let productionId: string;
let store: BlobStore;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  resources = createDatabase(database.url, 4, () => {});
  boss = new PgBoss({ connectionString: database.url, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  for (const name of jobNames) await boss.createQueue(name, queueOptions(name));
  storeDir = await mkdtemp(path.join(tmpdir(), 'rushes-store-'));
  store = new LocalBlobStore({ root: storeDir, secret: SECRET, publicUrl: 'http://127.0.0.1:1' });
  const [production] = await resources.db
    .insert(productions)
    .values({ name: 'Lifecycle', code: 'LC', proxyProfiles: [{ id: 'premiere' }] })
    .returning({ id: productions.id });
  productionId = production!.id;
}, 60_000);

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.kill();
  await boss?.stop({ graceful: false });
  await resources?.pool.end();
  await database?.drop();
  if (storeDir) await rm(storeDir, { recursive: true, force: true });
}, 60_000);

function spawnWorker(id: string, env: Record<string, string> = {}): WorkerProcess {
  const worker = startWorkerProcess({
    DATABASE_URL: database.url,
    STORAGE_DIR: storeDir,
    STORAGE_SIGNING_SECRET: SECRET,
    WORKER_ID: id,
    WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'info',
    ...env,
  });
  workers.push(worker);
  return worker;
}

function exited(worker: WorkerProcess): Promise<number | null> {
  if (worker.child.exitCode !== null) return Promise.resolve(worker.child.exitCode);
  return new Promise((resolve) => worker.child.once('exit', (code) => resolve(code)));
}

describe('probes', () => {
  it(
    'serves /healthz and /readyz, and a port in use stops the next worker before ready',
    { timeout: 60_000 },
    async () => {
      const port = await freePort();
      const first = spawnWorker('probe-1', { WORKER_HEALTH_PORT: String(port) });
      await first.ready();
      const alive = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(alive.status).toBe(200);
      expect(await alive.json()).toMatchObject({ ok: true, workerId: 'probe-1', completed: 0, failed: 0 });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      const body = (await ready.json()) as {
        ready: boolean;
        checks: Record<string, { ok: boolean; detail: string }>;
      };
      expect(ready.status).toBe(200);
      expect(body.ready).toBe(true);
      expect(body.checks.database!.detail).toMatch(/^PostgreSQL \d+/);
      expect(body.checks.migrations!.detail).toMatch(/^at \d{4}_/);
      expect(body.checks.store).toEqual({ ok: true, detail: 'answers' });

      const second = spawnWorker('probe-2', { WORKER_HEALTH_PORT: String(port) });
      expect(await exited(second)).toBe(1);
      expect(second.output()).toContain(
        `port ${port} for the health checks is in use by another process: set WORKER_HEALTH_PORT to a free port`,
      );
      expect(second.output()).not.toContain('"worker ready"');
      // The first one is unaffected.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(await first.stop()).toBe(0);
    },
  );
});

describe('metrics', () => {
  it(
    'serves /metrics: queue counts from pgboss.job, job durations and failures by code',
    { timeout: 60_000 },
    async () => {
      const port = await freePort();
      const worker = spawnWorker('metrics', {
        WORKER_HEALTH_PORT: String(port),
        WORKER_QUEUES: 'production.setup',
      });
      await worker.ready();
      const scrape = async () => {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('text/plain');
        return parseMetrics(await res.text());
      };
      const before = await scrape();
      expect(before.get('rushes_queue_jobs{queue="clip.render",state="waiting"}')).toBe(0);
      expect(before.get('rushes_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
      expect(before.has('rushes_process_resident_memory_bytes')).toBe(true);

      // A job no worker of this test takes: waiting, counted without any worker supervising it.
      const waiting = await boss.send('clip.render', { clipId: '00000000-0000-4000-8000-000000000000' });
      const ingestLane = await boss.send(
        'clip.render',
        { clipId: '00000000-0000-4000-8000-000000000001' },
        { priority: LANES.ingest },
      );
      await boss.send('production.setup', { productionId });
      await boss.send('production.setup', { productionId: 'not-a-uuid' });
      const after = await waitFor('both jobs to be counted', async () => {
        const m = await scrape();
        return (m.get('rushes_job_duration_seconds_count{queue="production.setup",outcome="completed"}') ??
          0) >= 1 &&
          (m.get('rushes_job_failures_total{queue="production.setup",code="BAD_PAYLOAD"}') ?? 0) >= 1
          ? m
          : undefined;
      });
      expect(after.get('rushes_queue_jobs{queue="clip.render",state="waiting"}')).toBe(2);
      // By lane: the job sent without a priority waits in the backfill lane (priority 0).
      expect(after.get('rushes_queue_jobs_by_lane{queue="clip.render",lane="ingest",state="waiting"}')).toBe(
        1,
      );
      expect(
        after.get('rushes_queue_jobs_by_lane{queue="clip.render",lane="backfill",state="waiting"}'),
      ).toBe(1);
      expect(
        after.get('rushes_job_duration_seconds_count{queue="production.setup",outcome="completed"}'),
      ).toBe(1);
      expect(after.get('rushes_job_duration_seconds_count{queue="production.setup",outcome="failed"}')).toBe(
        1,
      );
      expect(after.get('rushes_job_failures_total{queue="production.setup",code="BAD_PAYLOAD"}')).toBe(1);
      await boss.deleteJob('clip.render', waiting!);
      await boss.deleteJob('clip.render', ingestLane!);
      expect(await worker.stop()).toBe(0);
    },
  );
});

describe('SIGTERM mid-render with a short drain', () => {
  let card: string;
  beforeAll(async () => {
    // One clip long enough that its render outlasts a 1 s drain by far.
    card = await makeGoodCard(1, '1280x720', 40);
  }, 120_000);
  afterAll(() => rm(card, { recursive: true, force: true }));

  it(
    'hands the job back at once, recorded interrupted; the next worker finishes it',
    { timeout: 300_000 },
    async () => {
      const victim = spawnWorker('draining', { WORKER_DRAIN_SECONDS: '1' });
      await victim.ready();
      const { rollId } = await importFolder(
        { ...resources, store, boss },
        { dir: card, productionCode: 'LC', rollName: 'L001' },
      );
      const running = await waitFor(
        'the worker to be rendering',
        async () => {
          const [task] = await resources.db
            .select()
            .from(tasks)
            .where(
              and(
                eq(tasks.workerId, 'draining'),
                eq(tasks.state, 'running'),
                inArray(tasks.kind, ['review', 'proxy:premiere']),
                gt(tasks.progress, 0),
              ),
            );
          return task;
        },
        120_000,
      );

      const signalled = Date.now();
      expect(await victim.stop()).toBe(0);
      // 1 s of drain, then the stop, the hand-back and closing: well under pg-boss's lease.
      expect(Date.now() - signalled).toBeLessThan(15_000);
      expect(victim.output()).toContain('drain time over');

      const [interrupted] = await resources.db.select().from(tasks).where(eq(tasks.id, running.id));
      expect(interrupted).toMatchObject({ state: 'queued', errorCode: 'INTERRUPTED', finishedAt: null });
      expect(interrupted!.errorMessage).toContain('worker draining stopped before the job finished');
      const [clip] = await resources.db.select().from(clips).where(eq(clips.id, running.clipId));
      expect(clip!.state).not.toBe('failed');
      expect(clip!.errorCode).toBeNull();

      // Handed back: waiting to be fetched now, the interrupted attempt given back.
      const { rows } = await resources.pool.query<{
        state: string;
        due: boolean;
        retry_count: number;
        retry_limit: number;
      }>(
        `select state, start_after <= now() as due, retry_count, retry_limit
         from pgboss.job where id = $1`,
        [running.jobId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ state: 'retry', due: true });
      expect(rows[0]!.retry_limit - rows[0]!.retry_count).toBeGreaterThanOrEqual(
        queueOptions('clip.render').retryLimit!,
      );

      // Both renders of the clip at once, so this job does not wait behind the other.
      const next = spawnWorker('next', { WORKER_CONCURRENCY: '2' });
      await next.ready();
      // Counted from the worker being ready, not spawned: its start took 3 to 12 s under load.
      const restarted = Date.now();
      const roll = await waitFor(
        'the roll to settle',
        async () => {
          const [row] = await resources.db.select().from(rolls).where(eq(rolls.id, rollId));
          return row && !['pending', 'processing'].includes(row.state) ? row : undefined;
        },
        180_000,
      );
      expect(roll.state).toBe('ready');
      const [finished] = await resources.db.select().from(tasks).where(eq(tasks.id, running.id));
      expect(finished).toMatchObject({ state: 'succeeded', workerId: 'next', errorCode: null });
      // The job was picked up at once, not after its lease (15 min) or a retry delay: the time is
      // the render itself, which took longer than this before being stopped only at the worker's pace.
      const { rows: started } = await resources.pool.query<{ waited: number }>(
        `select extract(epoch from (started_on - $2::timestamptz)) as waited from pgboss.job where id = $1`,
        [running.jobId, new Date(restarted)],
      );
      expect(Number(started[0]!.waited)).toBeLessThan(3);
      const failedTasks = await resources.db
        .select({ id: tasks.id })
        .from(tasks)
        .where(and(eq(tasks.clipId, running.clipId), eq(tasks.state, 'failed')));
      expect(failedTasks).toEqual([]);
    },
  );
});
