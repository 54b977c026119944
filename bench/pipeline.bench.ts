/**
 * The worker pipeline (verify, probe, review render) on tiny clips, workers as their own
 * processes (as deployed), with their default sizing (sizing.ts: jobs and ffmpeg threads from the
 * cores each may use). Two measurements, each in BENCH_PIPELINE_ROUNDS alternating rounds
 * (default 3), reported as median with the spread:
 *
 * 1. Orchestration overhead (issue #22 item 6; goal < 50 ms per clip): a one-clip roll through an
 *    idle worker end to end, against the engine alone doing the same work (hash, validate, probe,
 *    review render) in this process — alternated round by round. The difference is split into
 *    the steps between "job fetched" and "engine starts" and between "engine done" and "next
 *    job": the import (this process: folder scan, store copy, rows, first job queued), each job's
 *    task row (startTask), its handler's own work (database reads and writes, originals, temporary
 *    folders, uploads of the outputs, the next job queued), its finish (task row, roll state,
 *    events), and what is left between jobs (queue hop: NOTIFY, fetch, pg-boss bookkeeping, and
 *    this bench's 5 ms poll for the roll's state). The worker logs its steps per job at debug
 *    level ("job steps").
 *
 * 2. Scale-out on proxy work (issue #22 item 5; goal ≥ 1.6×): Premiere proxies of the same roll
 *    (BENCH_PIPELINE_CLIPS clips of 1280×720 and 2 s, default 12), one worker pinned to one core (`taskset -c 0`)
 *    against two workers pinned to core 0 and core 1 — each a 1-core host, as two 1-CPU
 *    containers would be — alternated round by round; the renditions are removed between rounds
 *    so each round renders everything. Reported: throughput of two ÷ throughput of one.
 *
 * A goal missed is flagged MISSED in its row.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_IMAGES, Engine, renderSourceFrom, resolveProfile } from '@rushes/engine';
import { jobNames, queueOptions } from '@rushes/schema/jobs';
import { proxyRenditionName, renderTaskKind } from '@rushes/schema/profiles';
import { productions, rolls } from '@rushes/schema/tables';
import { LocalBlobStore } from '@rushes/storage';
import { createDatabase } from '@rushes/worker/db';
import { importFolder } from '@rushes/worker/ingest';
import { eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { startWorkerProcess, type WorkerProcess } from '../apps/worker/test/support/worker-process.ts';
import { median, spread, type Benchmark, type Row } from './harness.ts';

const run = promisify(execFile);

/** A roll of `count` copies of one clip: tiny by default, `size` and `seconds` for proxy work. */
async function makeRoll(folder: string, count: number, size = '320x180', seconds = 1): Promise<string> {
  await mkdir(folder, { recursive: true });
  const first = path.join(folder, 'A001C001_230512_R1AB.mov');
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=24:duration=${seconds}`],
    ...['-c:v', 'libx264', '-timecode', '01:00:00:00', first],
  ]);
  for (let i = 2; i <= count; i += 1)
    await copyFile(first, path.join(folder, `A001C${String(i).padStart(3, '0')}_230512_R1AB.mov`));
  return first;
}

/** The engine alone on one clip: what verify, probe and the review render run. */
async function engineOnce(engine: Engine, file: string, scratch: string, name: string): Promise<number> {
  const started = performance.now();
  await engine.hash(file, ['xxh64', 'md5']);
  await engine.validate(file);
  const { metadata } = await engine.probe(file);
  await engine.render(
    renderSourceFrom(metadata, { kind: 'file', path: file }, 'clip'),
    { proxy: resolveProfile('review'), images: DEFAULT_IMAGES },
    { outDir: scratch, baseName: name },
  );
  return performance.now() - started;
}

interface Steps {
  startTask: number;
  handler: number;
  engine: number;
  finish: number;
}

/** The "job steps" lines a worker logged (at debug level) in `output`, clip jobs only. */
function jobSteps(output: string): Steps[] {
  const found: Steps[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('"job steps"')) continue;
    const entry = JSON.parse(line) as { job: string; steps: Steps };
    if (entry.job.startsWith('clip.')) found.push(entry.steps);
  }
  return found;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const benchmark: Benchmark = async (context) => {
  const count = Number(process.env['BENCH_PIPELINE_CLIPS'] ?? 12);
  const rounds = Math.max(3, Number(process.env['BENCH_PIPELINE_ROUNDS'] ?? 3));
  const scratch = await mkdtemp(path.join(tmpdir(), 'rushes-bench-pipeline-'));
  const card = path.join(scratch, 'card');
  // Proxy work on camera-sized pictures (1280×720, 2 s each): on 320×180 clips a render took less
  // than its job's own database and queue work, which the two workers share with PostgreSQL.
  await makeRoll(card, count, '1280x720', 2);
  const renders = path.join(scratch, 'renders');
  await mkdir(renders);

  /** A fresh database with the queues and a production BENCH (Premiere proxies for editors). */
  async function openDatabase(storeName: string) {
    const url = await context.createDatabase();
    const resources = createDatabase(url, 4, (error) => {
      throw error;
    });
    const storeDir = path.join(scratch, storeName);
    const store = new LocalBlobStore({
      root: storeDir,
      secret: 'b'.repeat(32),
      publicUrl: 'http://127.0.0.1:1',
    });
    const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false, max: 2 });
    await boss.start();
    for (const name of jobNames) await boss.createQueue(name, queueOptions(name));
    await resources.db.insert(productions).values({ name: 'Bench', code: 'BENCH' });
    const env = {
      DATABASE_URL: url,
      STORAGE_DIR: storeDir,
      STORAGE_SIGNING_SECRET: 'b'.repeat(32),
    };
    const ingest = async (dir: string, rollName: string) => {
      const started = performance.now();
      const result = await importFolder(
        { ...resources, store, boss },
        { dir, productionCode: 'BENCH', rollName, settleSeconds: 0 },
      );
      const imported = performance.now() - started;
      for (;;) {
        const [roll] = await resources.db
          .select({ state: rolls.state })
          .from(rolls)
          .where(eq(rolls.id, result.rollId));
        if (roll && roll.state !== 'processing' && roll.state !== 'pending') break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return { clips: result.clips, imported, wall: performance.now() - started };
    };
    const close = async () => {
      await boss.stop({ graceful: false });
      await resources.pool.end();
    };
    return { resources, boss, env, ingest, close };
  }

  /** Part 1: one clip at a time through an idle worker, alternating with the engine alone. */
  async function overhead() {
    const db = await openDatabase('store-idle');
    const worker = startWorkerProcess({
      ...db.env,
      WORKER_QUEUES: 'clip.verify,clip.probe,clip.render,roll.seal',
      WORKER_ID: 'bench-idle',
      LOG_LEVEL: 'debug',
    });
    const engine = await Engine.create();
    const one = path.join(scratch, 'one');
    await makeRoll(one, 1);
    const file = path.join(one, 'A001C001_230512_R1AB.mov');
    const samples = {
      engine: [] as number[],
      wall: [] as number[],
      overhead: [] as number[],
      import: [] as number[],
      startTask: [] as number[],
      handlerOwn: [] as number[],
      finish: [] as number[],
      between: [] as number[],
    };
    try {
      await worker.ready();
      // Warm-up (exiftool's start, module caches, the xxHash thread): not measured.
      await engineOnce(engine, file, renders, 'warm');
      await db.ingest(one, 'WARM');
      for (let round = 0; round < rounds; round += 1) {
        const enginePerClip = await engineOnce(engine, file, renders, `r${round}`);
        const before = worker.output().length;
        const { wall, imported } = await db.ingest(one, `IDLE${round}`);
        // The last job logs its steps just after its task row settled the roll: wait for it.
        let steps = jobSteps(worker.output().slice(before));
        for (let i = 0; i < 200 && steps.length < 3; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          steps = jobSteps(worker.output().slice(before));
        }
        if (steps.length !== 3) throw new Error(`expected 3 clip jobs' steps, got ${steps.length}`);
        // A job queues the next one before it finishes its task: only the last job's finish is
        // on the clip's path (steps are logged in the order the jobs ended).
        const inJobs = sum(steps.map((s) => s.startTask + s.handler)) + steps.at(-1)!.finish;
        samples.engine.push(enginePerClip);
        samples.wall.push(wall);
        samples.overhead.push(wall - enginePerClip);
        samples.import.push(imported);
        samples.startTask.push(sum(steps.map((s) => s.startTask)));
        samples.handlerOwn.push(sum(steps.map((s) => s.handler - s.engine)));
        samples.finish.push(sum(steps.map((s) => s.finish)));
        samples.between.push(wall - imported - inJobs);
      }
      const { rows } = await db.resources.pool.query<{ wait: number }>(
        "select extract(epoch from (started_on - created_on)) * 1000 as wait from pgboss.job where name like 'clip.%'",
      );
      return { samples, waits: rows.map((r) => Number(r.wait)) };
    } finally {
      await engine.close();
      await worker.stop();
      await db.close();
    }
  }

  /** Part 2: Premiere proxies of the roll, 1 worker on core 0 against 2 on cores 0 and 1. */
  async function scaleOut() {
    const db = await openDatabase('store-scale');
    let workers: WorkerProcess[] = [
      startWorkerProcess({
        ...db.env,
        WORKER_QUEUES: 'clip.verify,clip.probe,clip.render',
        LOG_LEVEL: 'info',
      }),
    ];
    const { clips } = await (async () => {
      await workers[0]!.ready();
      try {
        return await db.ingest(card, 'CARD');
      } finally {
        await workers[0]!.stop();
      }
    })();
    const kind = renderTaskKind('premiere');
    const renderAll = async (cpus: string[]) => {
      await db.resources.pool.query('delete from renditions where name = $1', [
        proxyRenditionName('premiere'),
      ]);
      await db.resources.pool.query('delete from tasks where kind = $1', [kind]);
      workers = cpus.map((cpu, i) =>
        startWorkerProcess(
          { ...db.env, WORKER_QUEUES: 'clip.render', WORKER_ID: `bench-cpu${cpu}-${i}`, LOG_LEVEL: 'info' },
          { cpus: cpu },
        ),
      );
      try {
        await Promise.all(workers.map((w) => w.ready()));
        const started = performance.now();
        for (const clip of clips) await db.boss.send('clip.render', { clipId: clip.id, output: 'premiere' });
        for (;;) {
          const done = await db.resources.pool.query<{ n: number; failed: number }>(
            "select count(*)::int as n, count(*) filter (where state = 'failed')::int as failed from tasks where kind = $1 and state in ('succeeded', 'failed')",
            [kind],
          );
          if (done.rows[0]!.failed > 0) throw new Error('a Premiere proxy failed');
          if (done.rows[0]!.n >= clips.length) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return clips.length / ((performance.now() - started) / 1000);
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
    };
    const one: number[] = [];
    const two: number[] = [];
    try {
      for (let round = 0; round < rounds; round += 1) {
        one.push(await renderAll(['0']));
        two.push(await renderAll(['0', '1']));
      }
    } finally {
      await db.close();
    }
    return { one, two, ratios: two.map((t, i) => t / one[i]!) };
  }

  try {
    const idle = await overhead();
    const scale = await scaleOut();
    const name = `pipeline (verify, probe, review render), ${rounds} rounds; ${availableParallelism()} CPUs`;
    const row = (subject: string, xs: number[], unit: string, ratio?: number): Row => ({
      benchmark: name,
      subject: `${subject} (${spread(xs, unit === 'ms' ? 1 : 2)})`,
      value: median(xs),
      unit,
      ...(ratio === undefined ? {} : { ratio }),
    });
    const s = idle.samples;
    const overheadMs = median(s.overhead);
    const speedUp = median(scale.ratios);
    return [
      row('baseline: engine alone, one clip', s.engine, 'ms'),
      row('idle worker: one clip end to end', s.wall, 'ms', median(s.wall) / median(s.engine)),
      row(
        `idle worker: orchestration overhead per clip; goal < 50 ms${overheadMs >= 50 ? ': MISSED' : ''}`,
        s.overhead,
        'ms',
      ),
      row('  import (scan, store copy, rows, verify queued)', s.import, 'ms'),
      row('  task rows started (3 jobs)', s.startTask, 'ms'),
      row("  handlers' own work: reads, writes, files, uploads, next job queued", s.handlerOwn, 'ms'),
      row('  tasks finished: rows, roll state, events (3 jobs; 2 overlap the next job)', s.finish, 'ms'),
      row('  the rest: queue hops, fetch, the bench poll (5 ms)', s.between, 'ms'),
      {
        benchmark: name,
        subject: `idle worker: median wait queued → started (goal < 1 s${median(idle.waits) >= 1000 ? ': MISSED' : ''})`,
        value: median(idle.waits),
        unit: 'ms',
      },
      row(`baseline: 1 worker on core 0, Premiere proxies of ${count} clips`, scale.one, 'clips/s'),
      row(
        '2 workers on cores 0 and 1, Premiere proxies',
        scale.two,
        'clips/s',
        median(scale.two) / median(scale.one),
      ),
      row(
        `2 workers ÷ 1: speed-up on proxy work (per round); goal ≥ 1.6${speedUp < 1.6 ? ': MISSED' : ''}`,
        scale.ratios,
        '×',
      ),
    ];
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
};

export default benchmark;
