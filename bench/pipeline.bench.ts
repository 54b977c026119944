/**
 * A roll of tiny clips through the whole pipeline (verify, probe, review render), with one
 * worker and then with two (concurrency 1 each, so "two workers" means two jobs at a time on the
 * machine's two cores), against the engine doing the same work clip after clip. Reported: one
 * clip through an idle worker end to end, minus the engine's time for it (the orchestration
 * overhead), how long its jobs waited between queued and started, and wall time per clip.
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
import { productions, rolls } from '@rushes/schema/tables';
import { LocalBlobStore } from '@rushes/storage';
import { createDatabase } from '@rushes/worker/db';
import { importFolder } from '@rushes/worker/ingest';
import { eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { jobNames, queueOptions } from '@rushes/schema/jobs';
import { startWorkerProcess } from '../apps/worker/test/support/worker-process.ts';
import { median, type Benchmark, type Row } from './harness.ts';

const run = promisify(execFile);

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

  /** Ingests `card` as a new roll with `workers` workers: wall times and queue waits. */
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
    for (const name of jobNames) await boss.createQueue(name, queueOptions(name));
    // Workers as their own processes, as deployed: two in one Node process would share its one
    // event loop and measure that instead.
    const running = Array.from({ length: workers }, (_, i) =>
      startWorkerProcess({
        DATABASE_URL: url,
        STORAGE_DIR: path.join(scratch, `store-${rollName}`),
        STORAGE_SIGNING_SECRET: 'b'.repeat(32),
        WORKER_CONCURRENCY: '1',
        WORKER_QUEUES: 'clip.verify,clip.probe,clip.render',
        WORKER_ID: `bench-${i}`,
        LOG_LEVEL: 'info',
      }),
    );
    await Promise.all(running.map((worker) => worker.ready()));
    try {
      await resources.db.insert(productions).values({ name: 'Bench', code: 'BENCH' });
      const ingest = async (dir: string, name: string) => {
        const started = performance.now();
        const result = await importFolder(
          { ...resources, store, boss },
          { dir, productionCode: 'BENCH', rollName: name, settleSeconds: 0 },
        );
        for (;;) {
          const [roll] = await resources.db
            .select({ state: rolls.state })
            .from(rolls)
            .where(eq(rolls.id, result.rollId));
          if (roll && roll.state !== 'processing' && roll.state !== 'pending') break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return { clips: result.clips, wall: performance.now() - started };
      };
      // A first clip warms the workers up (exiftool's start, caches): not measured.
      await ingest(path.join(scratch, 'one'), `${rollName}-WARM`);
      const { clips, wall } = await ingest(card, rollName);
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
      return { wall, renderWall, waits: rows.map((r) => Number(r.wait)) };
    } finally {
      await Promise.all(running.map((worker) => worker.stop()));
      await boss.stop({ graceful: false });
      await resources.pool.end();
    }
  }

  try {
    const idle = await rollThrough(1, path.join(scratch, 'one'), 'IDLE');
    const one = await rollThrough(1, path.join(scratch, 'card'), 'ONE');
    const two = await rollThrough(2, path.join(scratch, 'card'), 'TWO');
    const name = `pipeline, ${count} clips (verify, probe, review render)`;
    /** ` (goal …: MISSED)` when a goal was missed, ` (goal …)` when met: every goal printed. */
    const missed = (miss: boolean, goal: string) => ` (goal ${goal}${miss ? ': MISSED' : ''})`;
    const row = (subject: string, value: number, unit: string, ratio?: number): Row => ({
      benchmark: name,
      subject,
      value,
      unit,
      ...(ratio === undefined ? {} : { ratio }),
    });
    const rows: Row[] = [
      row('baseline: engine alone per clip', enginePerClip, 'ms'),
      row('idle worker: one clip end to end', idle.wall, 'ms', idle.wall / enginePerClip),
      row(
        `idle worker: orchestration overhead per clip${missed(idle.wall - enginePerClip > 50, '< 50 ms')}`,
        idle.wall - enginePerClip,
        'ms',
      ),
      row(
        `idle worker: median wait queued → started${missed(median(idle.waits) > 1000, '< 1 s')}`,
        median(idle.waits),
        'ms',
      ),
      row(
        '1 worker: wall per clip (3 queues side by side)',
        one.wall / count,
        'ms',
        one.wall / count / enginePerClip,
      ),
      row('2 workers: wall per clip', two.wall / count, 'ms', two.wall / one.wall),
      row('1 worker: Premiere proxies only, per clip', one.renderWall / count, 'ms'),
      row(
        '2 workers: Premiere proxies only, per clip',
        two.renderWall / count,
        'ms',
        two.renderWall / one.renderWall,
      ),
      row(
        `2 workers: speed-up on proxy work${missed(one.renderWall / two.renderWall < 1.6, '≥ 1.6×')}`,
        one.renderWall / two.renderWall,
        '×',
      ),
    ];
    return rows;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
};

export default benchmark;
