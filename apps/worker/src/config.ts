import { hostname } from 'node:os';
import { jobNames, type JobName } from '@rushes/schema/jobs';
import { databaseUrl, logLevel, parseSettings, positiveInt } from '@rushes/schema/settings';
import { storageProblems, storageSettings } from '@rushes/storage';
import { z } from 'zod';

const queues = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.enum(jobNames as [JobName, ...JobName[]], {
        error: (issue) => `unknown queue "${String(issue.input)}"; known queues: ${jobNames.join(', ')}`,
      }),
    ),
  );

/** Every variable the worker reads, with its default (listed in the README). */
export const workerSettings = {
  /** PostgreSQL holding the data and the pg-boss queues. Required. */
  DATABASE_URL: databaseUrl(),
  /**
   * PostgreSQL connections this process opens at most, shared by its jobs and the queue (one more
   * holds the LISTEN that wakes it: see the README's connection budget).
   */
  DATABASE_POOL_SIZE: positiveInt(6),
  /**
   * Jobs run at once per queue by this process, for every queue. Default: sized to the cores
   * this process may use (os.availableParallelism(), which honours taskset and container CPU
   * sets) and each queue's kind of work — see sizing.ts and the README.
   */
  WORKER_CONCURRENCY: z
    .string()
    .regex(/^\d+$/, 'expected a positive integer')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be ≥ 1'))
    .optional(),
  /** Comma-separated queues this process takes, e.g. only proxies on GPU machines. Default: all. */
  WORKER_QUEUES: queues.default(jobNames),
  /** Name in task rows and logs. Default: host name and process id. */
  WORKER_ID: z.string().default(`${hostname()}-${process.pid}`),
  /**
   * GET /healthz (alive) and /readyz (database, migrations, store) for orchestrators' probes.
   * 0: any free port (tests; the port is logged). A port already in use stops the worker at start.
   */
  WORKER_HEALTH_PORT: z
    .string()
    .regex(/^\d+$/, 'expected a port number (0 for any free port, or 1 to 65535)')
    .transform(Number)
    .pipe(z.number().int().max(65535, 'port must be ≤ 65535'))
    .default(8080),
  /**
   * After SIGTERM, how long running jobs may take to finish; those still running then are
   * stopped and handed back to the queue at once (recorded INTERRUPTED), for another worker.
   * Keep it below the orchestrator's grace (Kubernetes terminationGracePeriodSeconds).
   */
  WORKER_DRAIN_SECONDS: positiveInt(30),
  /**
   * Hours after which a roll upload never assembled is aborted in the store and forgotten (the
   * hourly uploads.sweep; a later resume of that file starts over).
   */
  UPLOAD_ABANDON_HOURS: positiveInt(72),
  /**
   * Megabytes of camera originals a worker keeps on its disk after reading them from S3, so a
   * clip's probe and renders read the local copy (least recently used removed first). Size the
   * worker's temporary volume for it (plus the renders' output).
   */
  WORKER_CACHE_MB: positiveInt(20_480),
  /**
   * Seconds a clip's next job (probe, renders) waits for the worker holding its original before
   * any worker may take it. That worker runs it at once when it takes that queue; if it dies, the
   * job is free again this long after its last sign of life. 0: every job to the shared queue.
   */
  WORKER_AFFINITY_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  LOG_LEVEL: logLevel(),
  /** ffmpeg and ffprobe executables. Default: found on PATH. */
  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),
  ...storageSettings,
};

export type WorkerSettings = z.infer<z.ZodObject<typeof workerSettings>>;

export function loadWorkerSettings(env: Record<string, string | undefined>): WorkerSettings {
  return parseSettings('rushes worker', workerSettings, env, storageProblems);
}
