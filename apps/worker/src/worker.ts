/**
 * A stateless worker: takes jobs from the pg-boss queues it was given and runs their handlers.
 * Any number of these may run against the same database; none keeps state between jobs.
 */
import { parseJobPayload, queueOptions, type JobName } from '@rushes/schema/jobs';
import { PgBoss, type JobResult } from 'pg-boss';
import type { Logger } from 'pino';
import type { WorkerSettings } from './config.ts';
import { createDatabase } from './db.ts';
import { classifyFailure } from './jobs/failure.ts';
import type { HandlerDeps, JobHandler } from './jobs/handler.ts';
import { assertEveryJobHandled, handlers } from './jobs/registry.ts';

export interface RunningWorker {
  /** Stops fetching, waits for running jobs (up to `graceMs`), then closes connections. */
  stop(graceMs?: number): Promise<void>;
  /** Jobs finished by this process since it started, by outcome. */
  readonly counts: { completed: number; failed: number };
}

type Settings = Pick<WorkerSettings, 'DATABASE_URL' | 'WORKER_CONCURRENCY' | 'WORKER_QUEUES' | 'WORKER_ID'>;

export async function startWorker(settings: Settings, log: Logger): Promise<RunningWorker> {
  assertEveryJobHandled();
  const concurrency = settings.WORKER_CONCURRENCY;
  const { db, pool } = createDatabase(settings.DATABASE_URL, concurrency * settings.WORKER_QUEUES.length + 1);
  const boss = new PgBoss({
    connectionString: settings.DATABASE_URL,
    application_name: 'rushes-worker-queue',
    useListenNotify: true,
  });
  boss.on('error', (error) => log.error({ err: error }, 'queue error'));
  await boss.start();
  for (const name of settings.WORKER_QUEUES) await boss.createQueue(name, queueOptions(name));

  const counts = { completed: 0, failed: 0 };
  const deps: HandlerDeps = { db, log, workerId: settings.WORKER_ID };

  async function runJob<N extends JobName>(
    name: N,
    job: { id: string; data: unknown; signal: AbortSignal },
  ): Promise<JobResult> {
    const jobLog = log.child({ job: name, jobId: job.id });
    try {
      const handler = handlers[name] as JobHandler<N>;
      await handler(parseJobPayload(name, job.data), { ...deps, log: jobLog }, job.signal);
      counts.completed += 1;
      return { id: job.id, status: 'completed' };
    } catch (error) {
      counts.failed += 1;
      const failure = classifyFailure(error);
      jobLog.warn({ err: error, code: failure.code, permanent: failure.permanent }, 'job failed');
      return {
        id: job.id,
        status: failure.permanent ? 'deadletter' : 'failed',
        output: { code: failure.code, message: failure.message },
      };
    }
  }

  for (const name of settings.WORKER_QUEUES) {
    await boss.work(
      name,
      { perJobResults: true, localConcurrency: concurrency, pollingIntervalSeconds: 2 },
      (jobs) => Promise.all(jobs.map((job) => runJob(name, job))),
    );
  }
  log.info({ queues: settings.WORKER_QUEUES, concurrency, workerId: settings.WORKER_ID }, 'worker ready');

  return {
    counts,
    async stop(graceMs = 30_000) {
      await boss.stop({ graceful: true, timeout: graceMs });
      await pool.end();
    },
  };
}
