import { hostname } from 'node:os';
import { jobNames, type JobName } from '@rushes/schema/jobs';
import { databaseUrl, logLevel, parseSettings, port, positiveInt } from '@rushes/schema/settings';
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
  /** Jobs run at once per queue by this process. */
  WORKER_CONCURRENCY: positiveInt(2),
  /** Comma-separated queues this process takes, e.g. only proxies on GPU machines. Default: all. */
  WORKER_QUEUES: queues.default(jobNames),
  /** Name in task rows and logs. Default: host name and process id. */
  WORKER_ID: z.string().default(`${hostname()}-${process.pid}`),
  /** When set, serves GET /healthz on this port for orchestrators' liveness checks. */
  PORT: port(0).optional(),
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
