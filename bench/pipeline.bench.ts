/**
 * A roll of tiny clips through the whole pipeline (verify, probe, review render), with one
 * worker and then with two (concurrency 1 each, so "two workers" means two jobs at a time on the
 * machine's two cores), against the engine doing the same work clip after clip. Reported:
 * wall time per clip, orchestration overhead per clip (wall per clip minus engine time, 1 worker),
 * the median of each clip's handled time minus engine time, the 2-worker speed-up, and how long a
 * job waits between queued and started on an idle worker.
 * Then a Premiere proxy of every clip, render jobs only, to compare 1 and 2 workers on CPU-bound
 * work (a worker runs one job per queue at a time, so in the whole pipeline even one worker keeps
 * verify, probe and render of different clips going side by side).
 * Goals (issue #5): overhead < 50 ms per clip; a queued job starts within 1 s on an idle worker;
 * 2 workers ≥ 1.6× one on proxy work. BENCH_PIPELINE_CLIPS sets the roll's size (default 200).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_IMAGES, Engine, renderSourceFrom, resolveProfile } from '@rushes/engine';
import { productions, rolls, tasks } from '@rushes/schema/tables';
import { LocalBlobStore } from '@rushes/storage';
import { createDatabase } from '@rushes/worker/db';
import { importFolder } from '@rushes/worker/ingest';
import { startWorker, type RunningWorker } from '@rushes/worker/worker';
import { eq, inArray } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { pino } from 'pino';
import type { Benchmark, Row } from './harness.ts';

const run = promisify(execFile);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function makeRoll(folder: string, count: number): Promise<string> {
  await mkdir(folder, { recursive: true });
  const first = path.join(folder, 'A001C001_230512_R1AB.mov');
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=24:duration=1'],
    ...['-c:v', 'libx264', '-timecode', '01:00:00:00', first],
  ]);
  for (let i = 2; i <= count; i += 1)
    await copyFile(first, path.join(folder, `A001C${String(i).padStart(3, '0')}_230512_R1AB.mov`));
  return first;
}

/** The engine alone on one clip: what verify, probe and the review render run. */
async function engineTimePerClip(file: string, scratch: string): Promise<number> {
  const engine = await Engine.create();
  try {
    const times: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const started = performance.now();
      await engine.hash(file, ['xxh64', 'md5']);
      await engine.validate(file);
      const { metadata } = await engine.probe(file);
      await engine.render(
        renderSourceFrom(metadata, { kind: 'file', path: file }, 'clip'),
        { proxy: resolveProfile('review'), images: DEFAULT_IMAGES },
        { outDir: scratch, baseName: `clip-${i}` },
      );
      times.push(performance.now() - started);
    }
    return median(times);
  } finally {
    await engine.close();
  }
}

const benchmark: Benchmark = async (context) => {
  const count = Number(process.env['BENCH_PIPELINE_CLIPS'] ?? 200);
  const scratch = await mkdtemp(path.join(tmpdir(), 'rushes-bench-pipeline-'));
  const first = await makeRoll(path.join(scratch, 'card'), count);
  await makeRoll(path.join(scratch, 'one'), 1);
  await mkdir(path.join(scratch, 'renders'));
  const enginePerClip = await engineTimePerClip(first, path.join(scratch, 'renders'));

  /** Ingests `card` as a new roll with `workers` workers; wall time and per-clip handled time. */
  async function rollThrough(workers: number, card: string, rollName: string) {
    const url = await context.createDatabase();
    const resources = createDatabase(url, 4, (error) => {
      throw error;
    });
    const store = new LocalBlobStore({
      root: path.join(scratch, `store-${rollName}`),
      secret: 'b'.repeat(32),
      publicUrl: 'http://127.0.0.1:1',
    });
    const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false });
    await boss.start();
    const running: RunningWorker[] = [];
    for (let i = 0; i < workers; i += 1)
      running.push(
        await startWorker(
          {
            DATABASE_URL: url,
            WORKER_CONCURRENCY: 1,
            WORKER_QUEUES: ['clip.verify', 'clip.probe', 'clip.render'],
            WORKER_ID: `bench-${i}`,
          },
          pino({ level: 'silent' }),
          { store },
        ),
      );
    try {
      await resources.db.insert(productions).values({ name: 'Bench', code: 'BENCH' });
      const started = performance.now();
      const { rollId, clips } = await importFolder(
        { ...resources, store, boss },
        { dir: card, productionCode: 'BENCH', rollName, settleSeconds: 0 },
      );
      for (;;) {
        const [roll] = await resources.db
          .select({ state: rolls.state })
          .from(rolls)
          .where(eq(rolls.id, rollId));
        if (roll && roll.state !== 'processing' && roll.state !== 'pending') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const wall = performance.now() - started;
      const done = await resources.db
        .select({ clipId: tasks.clipId, startedAt: tasks.startedAt, finishedAt: tasks.finishedAt })
        .from(tasks)
        .where(
          inArray(
            tasks.clipId,
            clips.map((c) => c.id),
          ),
        );
      const handled = new Map<string, number>();
      for (const t of done)
        handled.set(
          t.clipId,
          (handled.get(t.clipId) ?? 0) + (t.finishedAt!.getTime() - t.startedAt!.getTime()),
        );
      const { rows } = await resources.pool.query<{ wait: number }>(
        "select extract(epoch from (started_on - created_on)) * 1000 as wait from pgboss.job where name like 'clip.%'",
      );
      // CPU-bound proxy work alone: a Premiere proxy of every clip, one job per worker at a time.
      const renderStarted = performance.now();
      for (const clip of clips) await boss.send('clip.render', { clipId: clip.id, output: 'premiere' });
      for (;;) {
        const done = await resources.pool.query<{ n: number }>(
          "select count(*)::int as n from tasks where kind = 'proxy:premiere' and state in ('succeeded', 'failed')",
        );
        if (done.rows[0]!.n >= clips.length) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const renderWall = performance.now() - renderStarted;
      return { wall, renderWall, handled: [...handled.values()], waits: rows.map((r) => Number(r.wait)) };
    } finally {
      for (const worker of running) await worker.stop(5_000);
      await boss.stop({ graceful: false });
      await resources.pool.end();
    }
  }

  try {
    const idle = await rollThrough(1, path.join(scratch, 'one'), 'IDLE');
    const one = await rollThrough(1, path.join(scratch, 'card'), 'ONE');
    const two = await rollThrough(2, path.join(scratch, 'card'), 'TWO');
    const name = `pipeline, ${count} clips (verify, probe, review render)`;
    const perClip = one.wall / count;
    const rows: Row[] = [
      { benchmark: name, subject: 'baseline: engine alone per clip', value: enginePerClip, unit: 'ms' },
      {
        benchmark: name,
        subject: '1 worker: wall per clip',
        value: perClip,
        unit: 'ms',
        ratio: perClip / enginePerClip,
      },
      {
        benchmark: name,
        subject: '1 worker: orchestration overhead per clip',
        value: perClip - enginePerClip,
        unit: 'ms',
      },
      {
        benchmark: name,
        subject: '1 worker: median handled time − engine, per clip',
        value: median(one.handled) - enginePerClip,
        unit: 'ms',
      },
      {
        benchmark: name,
        subject: '2 workers: wall per clip',
        value: two.wall / count,
        unit: 'ms',
        ratio: two.wall / one.wall,
      },
      { benchmark: name, subject: '2 workers: speed-up over 1', value: one.wall / two.wall, unit: '×' },
      {
        benchmark: name,
        subject: 'idle worker: median wait queued → started',
        value: median(idle.waits),
        unit: 'ms',
      },
      {
        benchmark: name,
        subject: '1 worker: Premiere proxies only, per clip',
        value: one.renderWall / count,
        unit: 'ms',
      },
      {
        benchmark: name,
        subject: '2 workers: Premiere proxies only, per clip',
        value: two.renderWall / count,
        unit: 'ms',
        ratio: two.renderWall / one.renderWall,
      },
      {
        benchmark: name,
        subject: '2 workers: speed-up on proxy work',
        value: one.renderWall / two.renderWall,
        unit: '×',
      },
    ];
    return rows;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
};

export default benchmark;
