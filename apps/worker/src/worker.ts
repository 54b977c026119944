/**
 * A stateless worker: takes jobs from the pg-boss queues it was given and runs their handlers.
 * Any number of these may run against the same database; none keeps state between jobs.
 */
import { availableParallelism } from 'node:os';
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
  countingStore,
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
import { jobFolder, sweepJobFolders } from './files.ts';
import { LocalFirst, pgBossHoldingQueue } from './affinity.ts';
import { OriginalsCache } from './originals.ts';
import { sizeWorker } from './sizing.ts';
import { importFileBatch, importRoll, importRollInBatches, IngestError } from './ingest.ts';
import { sourceForLocation } from './sources.ts';
import { classifyFailure } from './jobs/failure.ts';
import type { HandlerDeps, JobHandler } from './jobs/handler.ts';
import { assertEveryJobHandled, handlers } from './jobs/registry.ts';
import { finishTask, reportProgress, startTask, type TaskRef } from '@rushes/data/tasks';
import type { ProcessingState } from '@rushes/data/states';
import { isDatabaseUnavailable, type Database } from '@rushes/data/db';
import { queueDatabase } from '@rushes/data/queue-db';
import { createMetrics } from '@rushes/data/metrics';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface RunningWorker {
  /**
   * Stops fetching, waits for running jobs (up to `graceMs`), stops those still running and
   * hands them back to the queue at once (their tasks recorded queued with code INTERRUPTED),
   * then closes connections.
   */
  stop(graceMs?: number): Promise<void>;
  /** Jobs finished by this process since it started, by outcome. */
  readonly counts: { completed: number; failed: number; interrupted: number };
  /** The worker's database handle (its readiness check uses it). */
  readonly db: Database;
  /** Prometheus metrics: the shared ones (@rushes/data/metrics) and this worker's jobs. */
  readonly metrics: Registry;
}

/** The error a job's signal carries when the worker stops it at the end of its drain. */
export class JobInterrupted extends Error {
  override name = 'JobInterrupted';
  readonly code = 'INTERRUPTED';
}

/** A job this process runs: stopped through `controller` at the end of a drain. */
interface RunningJob {
  name: JobName;
  job: { id: string; retryCount: number };
  controller: AbortController;
  interrupted: boolean;
}

type Settings = Pick<WorkerSettings, 'DATABASE_URL' | 'WORKER_QUEUES' | 'WORKER_ID'> &
  Partial<
    Pick<
      WorkerSettings,
      | 'WORKER_CONCURRENCY'
      | 'FFMPEG_PATH'
      | 'FFPROBE_PATH'
      | 'WORKER_CACHE_MB'
      | 'WORKER_AFFINITY_SECONDS'
      | 'DATABASE_POOL_SIZE'
      | 'UPLOAD_ABANDON_HOURS'
    >
  >;

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

/** The engine with the time spent in it added to `steps.engine` (a job's own view of it). */
function timedEngine(engine: Engine, steps: { engine: number }): Engine {
  const timed =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await call(...args);
      } finally {
        steps.engine += performance.now() - started;
      }
    };
  return Object.assign(Object.create(engine) as Engine, {
    hash: timed(engine.hash.bind(engine)),
    validate: timed(engine.validate.bind(engine)),
    probe: timed(engine.probe.bind(engine)),
    render: timed(engine.render.bind(engine)),
  });
}

/** How long a stopped job gets to end (its ffmpeg killed, its task recorded) after its abort. */
const INTERRUPT_WAIT_MS = 10_000;

/** The longest wait between two start-up attempts while the database is not answering. */
const START_RETRY_MAX_MS = 5_000;

/**
 * Runs `work` (start-up statements, safe to repeat) until the database answers it: a worker
 * started before its database, or while PostgreSQL restarts, waits for it (not ready meanwhile)
 * instead of exiting. Any other error (a refused password, a missing database) ends the start-up.
 */
async function untilDatabaseAnswers(log: Logger, work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (attempt === 1) log.warn({ err: error }, 'the database is not answering; waiting for it');
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, START_RETRY_MAX_MS)));
    }
  }
}

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
  // Jobs at once per queue and ffmpeg threads per render, from the cores this process may use.
  const cores = availableParallelism();
  const sizing = sizeWorker(settings.WORKER_QUEUES, cores, settings.WORKER_CONCURRENCY);
  const concurrencyOf = (name: JobName) => sizing.concurrency[name] ?? 1;
  const { db, pool } = createDatabase(settings.DATABASE_URL, settings.DATABASE_POOL_SIZE ?? 6, (error) =>
    log.warn({ err: error }, 'lost an idle database connection; it will be replaced'),
  );
  // The queue on the same pool: this process holds at most DATABASE_POOL_SIZE + 1 connections.
  const queueDb = await queueDatabase(pool, {
    url: settings.DATABASE_URL,
    applicationName: 'rushes-worker',
    onError: (error) => log.warn({ err: error }, 'lost the queue listener; reconnecting'),
  });
  const boss = new PgBoss({
    db: queueDb,
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
  await untilDatabaseAnswers(log, async () => {
    await boss.start();
    // Every queue, not only the ones this worker takes: its jobs queue work for the others
    // (a verify-only machine still queues probes and seals).
    // createQueue keeps an existing queue as it is; updateQueue brings its policy up to date.
    for (const name of jobNames) {
      await boss.createQueue(name, queueOptions(name));
      await boss.updateQueue(name, queueOptions(name));
    }
    // Hourly, at minute 23; one schedule (pg-boss keeps it by name) whichever workers set it.
    if (settings.WORKER_QUEUES.includes('uploads.sweep'))
      await boss.schedule('uploads.sweep', '23 * * * *', {
        olderThanHours: settings.UPLOAD_ABANDON_HOURS ?? 72,
      });
  });

  const counts = { completed: 0, failed: 0, interrupted: 0 };
  const { registry } = createMetrics(pool, jobNames);
  const jobSeconds = new Histogram({
    name: 'rushes_job_duration_seconds',
    help: "Jobs this worker ran, by queue and outcome (completed, failed, interrupted by the worker's stop)",
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'rushes_job_failures_total',
    help: 'Failed jobs by queue and error code (a retried job counts once per failed attempt)',
    labelNames: ['queue', 'code'] as const,
    registers: [registry],
  });
  const storeBytes = new Counter({
    name: 'rushes_store_bytes_total',
    help: 'Bytes this worker read from (direction="read") and wrote to ("written") the object store',
    labelNames: ['direction'] as const,
    registers: [registry],
  });
  const originalReads = new Counter({
    name: 'rushes_original_reads_total',
    help: 'Jobs that needed a camera original, by where it came from (local copy: "hit"; store: "miss")',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const renderSpeed = new Histogram({
    name: 'rushes_render_realtime_factor',
    help: 'Seconds of media rendered per second of wall time, by output (review, proxy profile); above 1: faster than real time',
    labelNames: ['output'] as const,
    buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  const store = countingStore(resources.store, {
    read: (bytes) => storeBytes.inc({ direction: 'read' }, bytes),
    written: (bytes) => storeBytes.inc({ direction: 'written' }, bytes),
  });
  const originals = new OriginalsCache({
    store,
    root: jobFolder('originals'),
    limitBytes: (settings.WORKER_CACHE_MB ?? 20_480) * 1024 * 1024,
    onRead: (source) => originalReads.inc({ source }),
  });
  const running = new Map<string, RunningJob>();
  const finished = new Set<Promise<unknown>>();

  /**
   * Puts a job this worker was stopped in the middle of back in its queue, ready at once and
   * without spending one of its attempts: failing it (fenced to this attempt) takes it from this
   * worker; pg-boss then counts an attempt and delays the retry (or, on the last attempt, fails
   * it for good), which this undoes.
   */
  async function handBack(entry: RunningJob, output: { code: string; message: string }): Promise<void> {
    // The typings declare CommandResponse empty; pg-boss returns { jobs, requested, affected }.
    const { affected } = (await boss.fail(entry.name, entry.job, output)) as { affected?: number };
    if (!affected) return; // no longer this worker's (e.g. its lease lapsed meanwhile)
    const after = await boss.getJobById(entry.name, entry.job.id);
    if (after?.state === 'failed') await boss.retry(entry.name, entry.job.id);
    else if (after)
      await boss.update(entry.name, undefined, {
        id: entry.job.id,
        startAfter: new Date(),
        retryLimit: after.retryLimit + 1,
      });
  }
  const sourceOf = (location: string, rollId: string) =>
    sourceForLocation(location, rollId, store, (bucket) => {
      if (!resources.storeForBucket) throw new IngestError('this worker cannot read s3:// locations');
      return resources.storeForBucket(bucket);
    });
  const protectedList = resources.protectedPlaces ?? (await protectedPlaces({ installDir: process.cwd() }));
  const deps: HandlerDeps = {
    db,
    log,
    workerId: settings.WORKER_ID,
    store,
    originals,
    engine,
    renderThreads: sizing.renderThreads,
    observeRender(output, mediaSeconds, wallSeconds) {
      if (mediaSeconds > 0 && wallSeconds > 0) renderSpeed.observe({ output }, mediaSeconds / wallSeconds);
    },
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
      return importRoll({ db, pool, store, boss }, sourceOf(location, request.rollId ?? ''), request);
    },
    importCardInBatches(location, request) {
      return importRollInBatches(
        { db, pool, store, boss },
        sourceOf(location, request.rollId),
        request,
        location,
      );
    },
    importFileBatch(location, batch) {
      return importFileBatch({ db, pool, store, boss }, sourceOf(location, batch.rollId), batch);
    },
    async enqueue(name, payload, lane = 'ingest') {
      if (holdsOriginal(name)) return localFirst.submit(name, payload);
      await boss.send(name, payload, { priority: LANES[lane] });
    },
  };

  // A clip's probe and renders go to this worker first when it takes them and its originals
  // come from a remote store (a local store's files are read in place anyway): see affinity.ts.
  const holdSeconds = settings.WORKER_AFFINITY_SECONDS ?? 30;
  const holdsOriginal = (name: JobName) =>
    holdSeconds > 0 &&
    !store.localPath &&
    isClipJob(name) &&
    name !== 'clip.verify' &&
    settings.WORKER_QUEUES.includes(name);
  const localFirst = new LocalFirst(
    pgBossHoldingQueue(boss),
    (job) =>
      trackJob(job.name, {
        id: job.id,
        data: job.payload,
        signal: new AbortController().signal,
        retryCount: 0,
      }),
    {
      capacity: Math.max(1, ...settings.WORKER_QUEUES.filter((q) => holdsOriginal(q)).map(concurrencyOf)),
      holdSeconds,
      retryDelaySeconds: (name) => jobDefinitions[name].policy.retryDelaySeconds,
      onError: (error, job) =>
        log.error({ err: error, job: job.name, jobId: job.id }, 'a job held for this worker'),
    },
  );

  /** When a clip's task leaves its roll settled, the roll is sealed with an ASC MHL generation. */
  async function settle(task: TaskRef, roll: ProcessingState): Promise<void> {
    if (roll === 'ready' || roll === 'partial' || roll === 'failed')
      await boss.send('roll.seal', { rollId: task.rollId });
  }

  async function runJob<N extends JobName>(
    name: N,
    job: { id: string; data: unknown; signal: AbortSignal; retryCount: number; retryLimit?: number },
  ): Promise<JobResult> {
    const jobLog = log.child({ job: name, jobId: job.id });
    // Milliseconds of each step between "job fetched" and "job done" (logged at debug level; the
    // pipeline bench reads them to find where the orchestration overhead goes).
    const fetched = performance.now();
    const steps = { startTask: 0, handler: 0, engine: 0, finish: 0 };
    let task: Awaited<ReturnType<typeof startTask>>;
    const entry: RunningJob = { name, job, controller: new AbortController(), interrupted: false };
    running.set(job.id, entry);
    const signal = AbortSignal.any([job.signal, entry.controller.signal]);
    try {
      const payload = parseJobPayload(name, job.data);
      if (isClipJob(name)) {
        const { clipId } = payload as { clipId: string };
        // This worker is about to hold the clip's original: its other jobs waiting in the shared
        // queue (renders queued by another pool) are held for it too.
        if (holdsOriginal(name))
          void localFirst
            .adopt(
              clipId,
              settings.WORKER_QUEUES.filter((q) => holdsOriginal(q)),
            )
            .catch((e: unknown) => jobLog.warn({ err: e }, "could not take over the clip's other jobs"));
        task = await startTask(
          db,
          (payload as { clipId: string }).clipId,
          clipTaskKind(name, payload as JobPayload<typeof name>),
          job.id,
          settings.WORKER_ID,
        );
        steps.startTask = performance.now() - fetched;
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
      // The job's own limit (includeMetadata): a job handed back by a stopping worker got one more.
      const retryLimit = job.retryLimit ?? jobDefinitions[name].policy.retryLimit;
      const lastAttempt = job.retryCount >= retryLimit;
      const handlerStarted = performance.now();
      await handler(
        payload,
        { ...deps, log: jobLog, engine: timedEngine(engine, steps) },
        { jobId: job.id, signal, progress, lastAttempt },
      );
      const handlerDone = performance.now();
      steps.handler = handlerDone - handlerStarted;
      if (task) {
        const roll = await finishTask(db, task, 'succeeded');
        // The clip's work is done and recorded: a failure to queue the seal must not undo it.
        await settle(task, roll).catch((e: unknown) =>
          jobLog.error({ err: e }, 'could not queue the roll seal'),
        );
      }
      steps.finish = performance.now() - handlerDone;
      if (jobLog.isLevelEnabled('debug')) jobLog.debug({ steps }, 'job steps');
      counts.completed += 1;
      return { id: job.id, status: 'completed' };
    } catch (error) {
      if (entry.interrupted) {
        counts.interrupted += 1;
        const output = {
          code: 'INTERRUPTED',
          message: `worker ${settings.WORKER_ID} stopped before the job finished; handed back to the queue`,
        };
        jobLog.warn({ err: error }, 'job interrupted by the worker stopping; handed back to the queue');
        // The task first: once handed back, another worker may start it at once.
        if (task)
          await finishTask(db, task, 'queued', output).catch((e: unknown) =>
            jobLog.error({ err: e }, 'could not record the interruption'),
          );
        await handBack(entry, output).catch((e: unknown) =>
          jobLog.error({ err: e }, 'could not hand the job back; it returns when its lease lapses'),
        );
        return { id: job.id, status: 'failed', output };
      }
      counts.failed += 1;
      const failure = classifyFailure(error);
      const willRetry =
        !failure.permanent && job.retryCount < (job.retryLimit ?? jobDefinitions[name].policy.retryLimit);
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
    } finally {
      running.delete(job.id);
    }
  }

  /** Runs a job and keeps its promise until it settles, so a drain can wait for it. */
  function trackJob<N extends JobName>(
    name: N,
    job: { id: string; data: unknown; signal: AbortSignal; retryCount: number; retryLimit?: number },
  ): Promise<JobResult> {
    const end = jobSeconds.startTimer({ queue: name });
    const done = runJob(name, job);
    void done.then((result) => {
      const code = (result.output as { code?: string } | undefined)?.code;
      if (result.status === 'completed') end({ outcome: 'completed' });
      else if (code === 'INTERRUPTED') end({ outcome: 'interrupted' });
      else {
        end({ outcome: 'failed' });
        jobFailures.inc({ queue: name, code: code ?? 'INTERNAL' });
      }
    });
    finished.add(done);
    void done.finally(() => finished.delete(done));
    return done;
  }

  /** Resolves true when every running job has settled, false when `ms` passed first. */
  async function settled(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (finished.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...finished]),
        new Promise((resolve) => (timer = setTimeout(resolve, left))),
      ]).finally(() => clearTimeout(timer));
    }
    return true;
  }

  for (const name of settings.WORKER_QUEUES) {
    await boss.work(
      name,
      // includeMetadata: each job's own retryLimit (see handBack).
      { perJobResults: true, includeMetadata: true, localConcurrency: concurrencyOf(name), ...POLLING },
      (jobs) => Promise.all(jobs.map((job) => trackJob(name, job))),
    );
  }
  log.info(
    {
      queues: settings.WORKER_QUEUES,
      cores,
      concurrency: sizing.concurrency,
      renderThreads: sizing.renderThreads,
      workerId: settings.WORKER_ID,
    },
    'worker ready',
  );

  return {
    counts,
    db,
    metrics: registry,
    async stop(graceMs = 30_000) {
      // No new jobs: the queues' fetch loops end, jobs held for this worker are freed for the
      // others; running handlers go on.
      await Promise.all(settings.WORKER_QUEUES.map((name) => boss.offWork(name, { wait: false })));
      await localFirst.stop();
      if (!(await settled(graceMs))) {
        const jobs = [...running.values()];
        log.warn(
          { jobs: jobs.map((j) => ({ job: j.name, jobId: j.job.id })), graceMs },
          'drain time over: stopping the running jobs and handing them back to the queue',
        );
        for (const entry of jobs) {
          entry.interrupted = true;
          entry.controller.abort(new JobInterrupted(`worker ${settings.WORKER_ID} is stopping`));
        }
        // Handlers stop on their signal (ffmpeg is killed); one that ignores it is failed by
        // pg-boss's own stop below.
        if (!(await settled(INTERRUPT_WAIT_MS)))
          log.error('a stopped job did not end within 10 s; pg-boss fails it');
      }
      await boss.stop({ graceful: true, timeout: 1_000 });
      await queueDb.close();
      await originals.clear();
      await engine.close();
      await pool.end();
    },
  };
}
