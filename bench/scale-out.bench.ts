/**
 * Scale-out with the S3 driver (s3rver behind a relay that counts the bytes of every GET): a
 * roll of camera clips through workers run as separate processes, each with its own temporary
 * folder and no shared disk, as in a cluster. Reported, in alternating rounds:
 * - bytes read from the store per clip across verify, probe, the review render and an editors'
 *   proxy, ÷ the clip's size (goal ≤ 1.2×; before the originals cache and job affinity: one read
 *   per job, 4× with one editors' profile);
 * - wall time per clip with 1, 2 and 3 workers (this machine's CPU count beside it: workers
 *   beyond the cores cannot go faster on CPU-bound renders);
 * - job start after scale-up: no worker running, a roll queued, one worker started → its first
 *   job running (goal < 3 s; the worker's own start-up included).
 * BENCH_SCALE_CLIPS sets the roll's size (default 12), BENCH_SCALE_ROUNDS the rounds (default 3).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { jobNames, queueOptions } from '@rushes/schema/jobs';
import { clips, productions, rolls } from '@rushes/schema/tables';
import { createDatabase } from '@rushes/worker/db';
import { importFolder } from '@rushes/worker/ingest';
import { eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { startS3Server } from '../test/support/s3.ts';
import { startWorkerProcess, type WorkerProcess } from '../apps/worker/test/support/worker-process.ts';
import { median, spread, type Benchmark, type Row } from './harness.ts';

const run = promisify(execFile);

async function makeCard(folder: string, count: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  const first = path.join(folder, 'A001C001_230512_R1AB.mov');
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=24:duration=2'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-timecode', '01:00:00:00', first],
  ]);
  for (let i = 2; i <= count; i += 1)
    await copyFile(first, path.join(folder, `A001C${String(i).padStart(3, '0')}_230512_R1AB.mov`));
}

const benchmark: Benchmark = async (context) => {
  const count = Number(process.env['BENCH_SCALE_CLIPS'] ?? 12);
  const rounds = Number(process.env['BENCH_SCALE_ROUNDS'] ?? 3);
  const scratch = await mkdtemp(path.join(tmpdir(), 'rushes-bench-scale-'));
  const card = path.join(scratch, 'card');
  await makeCard(card, count);
  const s3 = await startS3Server();
  const storeEnv = s3.env;
  const store = s3.store();

  /** A fresh database with the queues and a production BENCH (with `proxyProfiles`). */
  async function openDatabase(proxyProfiles: { id: 'premiere' }[]) {
    const url = await context.createDatabase();
    const resources = createDatabase(url, 2, (error) => {
      throw error;
    });
    const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false, max: 2 });
    await boss.start();
    for (const name of jobNames) await boss.createQueue(name, queueOptions(name));
    await resources.db.insert(productions).values({ name: 'Bench', code: 'BENCH', proxyProfiles });
    return { url, resources, boss };
  }

  /** One roll through `workers` worker processes: wall per clip, bytes read per clip byte. */
  async function rollThrough(workers: number, rollName: string) {
    const { url, resources, boss } = await openDatabase([{ id: 'premiere' }]);
    const running: WorkerProcess[] = [];
    const start = async (i: number) => {
      const temp = await mkdtemp(path.join(scratch, `worker-${rollName}-${i}-`));
      const worker = startWorkerProcess({
        ...storeEnv,
        TMPDIR: temp,
        DATABASE_URL: url,
        WORKER_CONCURRENCY: '1',
        WORKER_QUEUES: 'clip.verify,clip.probe,clip.render,roll.seal',
        WORKER_ID: `bench-${i}`,
        LOG_LEVEL: 'info',
      });
      running.push(worker);
      return worker;
    };
    try {
      await Promise.all(Array.from({ length: workers }, (_, i) => start(i).then((w) => w.ready())));
      const readBefore = s3.bytesRead((p) => p.includes('/original/'));
      const started = performance.now();
      const result = await importFolder(
        { ...resources, store, boss },
        { dir: card, productionCode: 'BENCH', rollName },
      );
      for (;;) {
        const [roll] = await resources.db
          .select({ state: rolls.state })
          .from(rolls)
          .where(eq(rolls.id, result.rollId));
        if (roll && roll.state !== 'processing' && roll.state !== 'pending') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const wall = performance.now() - started;
      const rows = await resources.db
        .select({ size: clips.sizeBytes })
        .from(clips)
        .where(eq(clips.rollId, result.rollId));
      const size = rows.reduce((sum, r) => sum + (r.size ?? 0), 0);
      const read = s3.bytesRead((p) => p.includes('/original/')) - readBefore;
      return { wallPerClip: wall / count, readPerByte: read / size };
    } finally {
      await Promise.all(running.map((w) => w.stop()));
      await boss.stop({ graceful: false });
      await resources.pool.end();
    }
  }

  /** No worker running, a roll queued, then one worker started: ms until its first job runs. */
  async function firstJobAfterScaleUp(rollName: string): Promise<number> {
    const { url, resources, boss } = await openDatabase([]);
    await importFolder({ ...resources, store, boss }, { dir: card, productionCode: 'BENCH', rollName });
    const temp = await mkdtemp(path.join(scratch, `worker-up-${rollName}-`));
    const started = performance.now();
    const worker = startWorkerProcess({
      ...storeEnv,
      TMPDIR: temp,
      DATABASE_URL: url,
      WORKER_CONCURRENCY: '1',
      WORKER_ID: 'bench-up',
    });
    try {
      for (;;) {
        const { rows } = await resources.pool.query<{ n: number }>(
          "select count(*)::int as n from tasks where state <> 'queued'",
        );
        if (rows[0]!.n > 0) return performance.now() - started;
        if (performance.now() - started > 60_000) throw new Error('no job started within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await worker.stop();
      await boss.stop({ graceful: false });
      await resources.pool.end();
    }
  }

  try {
    const samples = { read: [] as number[], up: [] as number[], wall: [[], [], []] as number[][] };
    for (let round = 0; round < rounds; round += 1) {
      for (const workers of [1, 2, 3]) {
        const result = await rollThrough(workers, `R${round}W${workers}`);
        samples.wall[workers - 1]!.push(result.wallPerClip);
        if (workers === 3) samples.read.push(result.readPerByte);
      }
      samples.up.push(await firstJobAfterScaleUp(`UP${round}`));
    }
    const name = `scale-out, S3, ${count} clips 1280×720 (verify, probe, review, Premiere proxy); ${availableParallelism()} CPUs`;
    const read = median(samples.read);
    const up = median(samples.up);
    const [one, two, three] = samples.wall.map(median) as [number, number, number];
    const rows: Row[] = [
      {
        benchmark: name,
        subject: `bytes read from the store per clip byte, 3 workers (${spread(samples.read)}; goal ≤ 1.2${read > 1.2 ? ': MISSED' : ''})`,
        value: read,
        unit: '×',
      },
      {
        benchmark: name,
        subject: `1 worker: wall per clip (${spread(samples.wall[0]!)})`,
        value: one,
        unit: 'ms',
      },
      {
        benchmark: name,
        subject: `2 workers: wall per clip (${spread(samples.wall[1]!)})`,
        value: two,
        unit: 'ms',
        ratio: two / one,
      },
      {
        benchmark: name,
        subject: `3 workers: wall per clip (${spread(samples.wall[2]!)})`,
        value: three,
        unit: 'ms',
        ratio: three / one,
      },
      {
        benchmark: name,
        subject: `first job after a worker starts on a waiting roll (${spread(samples.up)}; goal < 3,000${up >= 3000 ? ': MISSED' : ''})`,
        value: up,
        unit: 'ms',
      },
    ];
    return rows;
  } finally {
    store.close();
    await s3.close();
    await rm(scratch, { recursive: true, force: true });
  }
};

export default benchmark;
