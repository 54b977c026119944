/**
 * How many jobs of each queue a worker runs at once, from the cores it may use and what the job
 * costs, and how many threads each render's ffmpeg gets — so a worker fills its machine without
 * oversubscribing it (a fixed 2 per queue × 3 clip queues put 6 jobs on 2 cores: two workers ran
 * the pipeline 1.09× slower than one). Pure: worker.ts gives it `os.availableParallelism()`, which
 * honours the CPU affinity a container runtime or `taskset` sets.
 */
import type { JobName } from '@rushes/schema/jobs';

/**
 * - `render`: ffmpeg decoding, filtering and encoding: a core or more per job.
 * - `light`: verify (hashing runs at memory speed, then two frames decoded) and probe (ffprobe
 *   and exiftool, mostly process start-up and file reads): short, IO-bound.
 * - `io`: imports, seals, set-up, sweeps: waiting on the store and the database.
 */
export type JobKind = 'render' | 'light' | 'io';

/** Pure: the kind of a queue's jobs. */
export function jobKind(name: JobName): JobKind {
  if (name === 'clip.render') return 'render';
  if (name === 'clip.verify' || name === 'clip.probe') return 'light';
  return 'io';
}

/** Light jobs at most per queue, however many cores: each holds a file open and a connection briefly. */
export const MAX_LIGHT_JOBS = 4;

/**
 * Pure: jobs of `kind` a worker with `cores` cores runs at once, per queue.
 * - render: one per two cores (at least one): x264 and ProRes encoders and the decoders run
 *   threaded, so two threads per render use the cores with fewer processes, files and memory
 *   than one render per core; on one or two cores, one render at a time.
 * - light: one per core, at least 2 (they wait on files and process starts), at most
 *   MAX_LIGHT_JOBS.
 * - io: 2 (an import and a seal of other rolls go on side by side; they wait, not compute).
 */
export function concurrencyFor(kind: JobKind, cores: number): number {
  const n = Math.max(1, Math.floor(cores));
  switch (kind) {
    case 'render':
      return Math.max(1, Math.floor(n / 2));
    case 'light':
      return Math.min(MAX_LIGHT_JOBS, Math.max(2, n));
    case 'io':
      return 2;
  }
}

/**
 * Pure: threads for each render's ffmpeg when `renders` run at once on `cores` cores: the cores
 * shared out among the renders (at least one each), so renders × threads ≈ cores.
 */
export function renderThreadsFor(cores: number, renders: number): number {
  return Math.max(1, Math.floor(Math.max(1, Math.floor(cores)) / Math.max(1, renders)));
}

export interface WorkerSizing {
  /** Jobs at once per queue this worker takes. */
  concurrency: Partial<Record<JobName, number>>;
  /** ffmpeg `-threads` for each render. */
  renderThreads: number;
}

/**
 * Pure: the worker's sizing for its queues. `explicit` (WORKER_CONCURRENCY) wins for every queue;
 * render threads then share the cores among that many renders.
 */
export function sizeWorker(queues: readonly JobName[], cores: number, explicit?: number): WorkerSizing {
  const concurrency = Object.fromEntries(
    queues.map((name) => [name, explicit ?? concurrencyFor(jobKind(name), cores)]),
  ) as Partial<Record<JobName, number>>;
  const renders = explicit ?? concurrencyFor('render', cores);
  return { concurrency, renderThreads: renderThreadsFor(cores, renders) };
}
