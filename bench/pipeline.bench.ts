/**
 * A roll of small clips through verify and probe with one worker process (concurrency 2),
 * against the engine doing the same work clip after clip in the same process. Reported: wall time
 * per clip (the ratio below 1 is the two jobs at a time), and the median wait of a job between
 * queued and started. Goals (issue #5): overhead < 50 ms per clip; a queued job starts within 1 s.
 * BENCH_PIPELINE_CLIPS sets the roll's size (default 40).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Engine } from '@rushes/engine';
import { productions, rolls } from '@rushes/schema/tables';
import { LocalBlobStore } from '@rushes/storage';
import { createDatabase } from '@rushes/worker/db';
import { importFolder } from '@rushes/worker/ingest';
import { startWorker } from '@rushes/worker/worker';
import { eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { pino } from 'pino';
import type { Benchmark } from './harness.ts';

const run = promisify(execFile);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const benchmark: Benchmark = async (context) => {
  const count = Number(process.env['BENCH_PIPELINE_CLIPS'] ?? 40);
  const url = await context.createDatabase();
  const folder = await mkdtemp(path.join(tmpdir(), 'rushes-bench-card-'));
  const storeDir = await mkdtemp(path.join(tmpdir(), 'rushes-bench-store-'));
  const first = path.join(folder, 'A001C001_230512_R1AB.mov');
  await run('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=24:duration=1',
    '-c:v',
    'libx264',
    '-timecode',
    '01:00:00:00',
    first,
  ]);
  for (let i = 2; i <= count; i += 1) {
    await copyFile(first, path.join(folder, `A001C${String(i).padStart(3, '0')}_230512_R1AB.mov`));
  }

  // Baseline: the engine alone, clip after clip (hash + validate + probe).
  const engine = await Engine.create();
  const engineTimes: number[] = [];
  for (let i = 0; i < 10; i += 1) {
    const started = performance.now();
    await engine.hash(first, ['xxh64', 'md5']);
    await engine.validate(first);
    await engine.probe(first);
    engineTimes.push(performance.now() - started);
  }
  await engine.close();
  const enginePerClip = median(engineTimes);

  const resources = createDatabase(url, 4);
  const store = new LocalBlobStore({
    root: storeDir,
    secret: 'b'.repeat(32),
    publicUrl: 'http://127.0.0.1:1',
  });
  const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false });
  await boss.start();
  const worker = await startWorker(
    {
      DATABASE_URL: url,
      WORKER_CONCURRENCY: 2,
      WORKER_QUEUES: ['clip.verify', 'clip.probe'],
      WORKER_ID: 'bench',
    },
    pino({ level: 'silent' }),
    { store },
  );
  try {
    await resources.db.insert(productions).values({ name: 'Bench', code: 'BENCH' });
    const started = performance.now();
    const { rollId } = await importFolder(
      { ...resources, store, boss },
      { dir: folder, productionCode: 'BENCH', rollName: 'A001' },
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
    const { rows } = await resources.pool.query<{ wait: number }>(
      "select extract(epoch from (started_on - created_on)) * 1000 as wait from pgboss.job where name in ('clip.verify', 'clip.probe')",
    );
    const queueWait = median(rows.map((r) => Number(r.wait)));
    // Two jobs of one clip run side by side with another clip's (concurrency 2).
    const wallPerClip = (wall / count) * 2;
    return [
      {
        benchmark: `pipeline, ${count} clips`,
        subject: 'baseline: engine alone per clip',
        value: enginePerClip,
        unit: 'ms',
      },
      {
        benchmark: `pipeline, ${count} clips`,
        subject: 'rushes: wall per clip (×2 for concurrency)',
        value: wallPerClip,
        unit: 'ms',
        ratio: wallPerClip / enginePerClip,
      },
      {
        benchmark: `pipeline, ${count} clips`,
        subject: 'rushes: orchestration overhead per clip',
        value: Math.max(wallPerClip - enginePerClip, 0),
        unit: 'ms',
      },
      {
        benchmark: `pipeline, ${count} clips`,
        subject: 'rushes: median wait from queued to started',
        value: queueWait,
        unit: 'ms',
      },
    ];
  } finally {
    await worker.stop(5_000);
    await boss.stop({ graceful: false });
    await resources.pool.end();
    await rm(folder, { recursive: true, force: true });
    await rm(storeDir, { recursive: true, force: true });
  }
};

export default benchmark;
