/**
 * A stateless worker: takes jobs from the pg-boss queues it was given and runs their handlers.
 * Any number of these may run against the same database; none keeps state between jobs.
 */
import { Engine } from '@rushes/engine';
import {
  clipTaskKind,
  isClipJob,
  jobDefinitions,
  jobNames,
  LANES,
  parseJobPayload,
  queueOptions,
  type JobName,
  type JobPayload,
} from '@rushes/schema/jobs';
import {
  checkImportLocation,
  formatImportLocation,
  ImportLocationError,
  protectedPlaces,
  readMounts,
  type BlobStore,
  type ProtectedLocation,
} from '@rushes/storage';
import { importRootGrants } from '@rushes/data/import-roots';
import { PgBoss, type JobResult } from 'pg-boss';
import type { Logger } from 'pino';
import type { WorkerSettings } from './config.ts';
import { createDatabase } from './db.ts';
import { sweepJobFolders } from './files.ts';
import { importRoll, IngestError } from './ingest.ts';
import { sourceForLocation } from './sources.ts';
import { classifyFailure } from './jobs/failure.ts';
import type { HandlerDeps, JobHandler } from './jobs/handler.ts';
import { assertEveryJobHandled, handlers } from './jobs/registry.ts';
import { finishTask, reportProgress, startTask, type TaskRef } from '@rushes/data/tasks';
import type { ProcessingState } from '@rushes/data/states';

export interface RunningWorker {
  /** Stops fetching, waits for running jobs (up to `graceMs`), then closes connections. */
  stop(graceMs?: number): Promise<void>;
  /** Jobs finished by this process since it started, by outcome. */
  readonly counts: { completed: number; failed: number };
}

type Settings = Pick<WorkerSettings, 'DATABASE_URL' | 'WORKER_CONCURRENCY' | 'WORKER_QUEUES' | 'WORKER_ID'> &
  Partial<Pick<WorkerSettings, 'FFMPEG_PATH' | 'FFPROBE_PATH'>>;

export interface WorkerResources {
  /** The object store holding the originals (built from the storage settings by main.ts). */
  store: BlobStore;
  /** Another bucket of the same S3 service, for importing s3:// locations. */
  storeForBucket?: (bucket: string) => BlobStore;
  /**
   * The platform's own places, never importable (main.ts: from the storage settings). Default:
   * the installation (working folder) and the system's folders.
   */
  protectedPlaces?: readonly ProtectedLocation[];
}

/**
 * How workers look for jobs. NOTIFY wakes an idle worker at once when a job is queued; but a
 * worker busy when the NOTIFY arrived only looks again at its next poll, which pg-boss spaces
 * 30 s apart by default when NOTIFY is on (measured: a 5-clip roll took 32 s instead of 2).
 * A 1 s backstop keeps "a queued job starts within 1 s" true at the cost of one cheap query per
 * second per queue and worker; 0.5 s without NOTIFY (the minimum pg-boss accepts).
 */
const POLLING = {
  pollingIntervalSeconds: 0.5,
  notifyPollingIntervalSeconds: 1,
  // With a backlog (the queue's cached ready count above 1) a worker that just got a job fetches
  // the next at once instead of waiting out the backstop interval after each job.
  burstWhenReadyExceeds: 1,
} as const;

export async function startWorker(
  settings: Settings,
  log: Logger,
  resources: WorkerResources,
): Promise<RunningWorker> {
  assertEveryJobHandled();
  const swept = await sweepJobFolders();
  if (swept) log.info({ folders: swept }, 'removed temporary folders of interrupted jobs');
  const engine = await Engine.create({
    tools: { ffmpeg: settings.FFMPEG_PATH, ffprobe: settings.FFPROBE_PATH },
  });
  for (const tool of Object.values(engine.tools)) log.info(tool, 'media tool');
  const concurrency = settings.WORKER_CONCURRENCY;
  const { db, pool } = createDatabase(
    settings.DATABASE_URL,
    concurrency * settings.WORKER_QUEUES.length + 1,
    (error) => log.warn({ err: error }, 'lost an idle database connection; it will be replaced'),
  );
  const boss = new PgBoss({
    connectionString: settings.DATABASE_URL,
    application_name: 'rushes-worker-queue',
    useListenNotify: true,
    // How often lapsed heartbeats and leases are failed over and queue statistics refreshed: a
    // queue is supervised at most every max(monitor, supervise) interval, 60 s each by default
    // (measured: a killed worker's job waited 75 s). A pass is a few indexed queries per queue.
    superviseIntervalSeconds: 2,
    monitorIntervalSeconds: 2,
    // The ready counts burst polling reads (below) are this fresh: at 10 s, a sudden backlog of
    // 40 proxies ran at 1.4× on two workers instead of 1.65×.
    queueCacheIntervalSeconds: 2,
  });
  boss.on('error', (error) => log.error({ err: error }, 'queue error'));
  await boss.start();
  // Every queue, not only the ones this worker takes: its jobs queue work for the others
  // (a verify-only machine still queues probes and seals).
  // createQueue keeps an existing queue as it is; updateQueue brings its policy up to date.
  for (const name of jobNames) {
    await boss.createQueue(name, queueOptions(name));
    await boss.updateQueue(name, queueOptions(name));
  }

  const counts = { completed: 0, failed: 0 };
  const protectedList = resources.protectedPlaces ?? (await protectedPlaces({ installDir: process.cwd() }));
  const deps: HandlerDeps = {
    db,
    log,
    workerId: settings.WORKER_ID,
    store: resources.store,
    engine,
    async checkImportLocation(location, productionId) {
      const roots = await importRootGrants(db);
      try {
        const checked = await checkImportLocation(location, productionId, roots, protectedList, {
          mustExist: true,
          mounts: await readMounts(),
        });
        return formatImportLocation(checked.location);
      } catch (error) {
        if (error instanceof ImportLocationError) throw new IngestError(error.message);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new IngestError(`${location} does not exist on worker ${settings.WORKER_ID}`);
        throw error;
      }
    },
    importCard(location, request) {
      const source = sourceForLocation(location, request.rollId ?? '', resources.store, (bucket) => {
        if (!resources.storeForBucket) throw new IngestError('this worker cannot read s3:// locations');
        return resources.storeForBucket(bucket);
      });
      return importRoll({ db, pool, store: resources.store, boss }, source, request);
    },
    async enqueue(name, payload, lane = 'ingest') {
      await boss.send(name, payload, { priority: LANES[lane] });
    },
  };

  /** When a clip's task leaves its roll settled, the roll is sealed with an ASC MHL generation. */
  async function settle(task: TaskRef, roll: ProcessingState): Promise<void> {
    if (roll === 'ready' || roll === 'partial' || roll === 'failed')
      await boss.send('roll.seal', { rollId: task.rollId });
  }

  async function runJob<N extends JobName>(
    name: N,
    job: { id: string; data: unknown; signal: AbortSignal; retryCount: number },
  ): Promise<JobResult> {
    const jobLog = log.child({ job: name, jobId: job.id });
    let task: Awaited<ReturnType<typeof startTask>>;
    try {
      const payload = parseJobPayload(name, job.data);
      if (isClipJob(name)) {
        task = await startTask(
          db,
          (payload as { clipId: string }).clipId,
          clipTaskKind(name, payload as JobPayload<typeof name>),
          job.id,
          settings.WORKER_ID,
        );
        if (!task) {
          jobLog.info('clip was deleted; nothing to do');
          return { id: job.id, status: 'completed' };
        }
      }
      const handler = handlers[name] as JobHandler<N>;
      const ref = task;
      const progress = (fraction: number) => {
        if (ref)
          void reportProgress(db, ref, fraction).catch((e: unknown) =>
            jobLog.warn({ err: e }, 'could not record progress'),
          );
      };
      const lastAttempt = job.retryCount >= jobDefinitions[name].policy.retryLimit;
      await handler(
        payload,
        { ...deps, log: jobLog },
        { jobId: job.id, signal: job.signal, progress, lastAttempt },
      );
      if (task) {
        const roll = await finishTask(db, task, 'succeeded');
        // The clip's work is done and recorded: a failure to queue the seal must not undo it.
        await settle(task, roll).catch((e: unknown) =>
          jobLog.error({ err: e }, 'could not queue the roll seal'),
        );
      }
      counts.completed += 1;
      return { id: job.id, status: 'completed' };
    } catch (error) {
      counts.failed += 1;
      const failure = classifyFailure(error);
      const willRetry = !failure.permanent && job.retryCount < jobDefinitions[name].policy.retryLimit;
      jobLog.warn({ err: error, code: failure.code, permanent: failure.permanent, willRetry }, 'job failed');
      if (task) {
        await finishTask(db, task, willRetry ? 'queued' : 'failed', {
          code: failure.code,
          message: failure.message,
        })
          .then((roll) => settle(task!, roll))
          .catch((e: unknown) => jobLog.error({ err: e }, 'could not record the failure'));
      }
      return {
        id: job.id,
        status: failure.permanent ? 'deadletter' : 'failed',
        output: { code: failure.code, message: failure.message },
      };
    }
  }

  for (const name of settings.WORKER_QUEUES) {
    await boss.work(name, { perJobResults: true, localConcurrency: concurrency, ...POLLING }, (jobs) =>
      Promise.all(jobs.map((job) => runJob(name, job))),
    );
  }
  log.info({ queues: settings.WORKER_QUEUES, concurrency, workerId: settings.WORKER_ID }, 'worker ready');

  return {
    counts,
    async stop(graceMs = 30_000) {
      await boss.stop({ graceful: true, timeout: graceMs });
      await engine.close();
      await pool.end();
    },
  };
}
