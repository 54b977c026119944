/**
 * Job definitions as data (as in documenso's job definitions): every queue's name, payload schema and
 * queue options live here, so the api can enqueue with types without importing worker code,
 * and the worker can check at start-up that it handles every job.
 */
import { z } from 'zod';
import { renderTaskKind } from './profiles.ts';
import { proxyProfileId } from './render-settings.ts';

export interface QueuePolicy {
  /** Attempts after the first for a transient failure. */
  retryLimit: number;
  /**
   * Where a job that failed for good goes — also when no handler could say so (a worker killed
   * on the last attempt): that queue's handler records the failure.
   */
  deadLetter?: JobName;
  /** Seconds before the first retry; doubled for each later one. */
  retryDelaySeconds: number;
  /** Seconds a job may run before its lease expires and another worker takes it over. */
  expireInSeconds: number;
  /**
   * Seconds between the heartbeats a worker sends while it runs the job. A worker that dies
   * (kill -9, lost machine) stops sending them, and the job is retried by another worker after
   * about this long instead of after `expireInSeconds`.
   */
  heartbeatSeconds?: number;
}

const defaultPolicy: QueuePolicy = { retryLimit: 4, retryDelaySeconds: 5, expireInSeconds: 15 * 60 };

const clipPayload = z.object({
  clipId: z.uuid(),
  /** The lane the clip's jobs run in (default: ingest). */
  lane: z.enum(['ingest', 'reprocess', 'backfill']).optional(),
});

/** Clip work: a few retries, a long lease, and heartbeats so a dead worker's job moves on fast. */
const clipPolicy = (expireInSeconds: number): QueuePolicy => ({
  retryLimit: 3,
  retryDelaySeconds: 5,
  expireInSeconds,
  // pg-boss's minimum; one cheap UPDATE per running job every 10 s.
  heartbeatSeconds: 10,
});

/**
 * A card copy can take hours; heartbeats hand a dead worker's import over in seconds, and each
 * attempt continues where the last stopped, so a few more attempts cost little. One that fails
 * for good goes to `roll.import.failed`, which says on the roll what was not imported.
 */
const importPolicy: QueuePolicy = {
  retryLimit: 5,
  retryDelaySeconds: 5,
  expireInSeconds: 6 * 60 * 60,
  heartbeatSeconds: 10,
  deadLetter: 'roll.import.failed',
};

export const jobDefinitions = {
  /** A production was created: the worker sets it up and marks it ready. */
  'production.setup': {
    payload: z.object({ productionId: z.uuid() }),
    policy: defaultPolicy,
  },
  /**
   * A roll's import failed for good (dead letter of roll.import): the roll ends `failed` with the
   * count of files not imported. Declared before roll.import, whose queue refers to it.
   */
  'roll.import.failed': {
    payload: z.object({ rollId: z.uuid(), location: z.string().min(1) }),
    policy: defaultPolicy,
  },
  /**
   * Import a card into an existing, empty roll: from a folder the workers can read, an s3://
   * prefix, or (`upload:`) the files uploaded into the roll through the api.
   */
  'roll.import': {
    payload: z.object({ rollId: z.uuid(), location: z.string().min(1) }),
    policy: importPolicy,
  },
  /**
   * Part of a card in an object store (an upload, an s3:// prefix), queued by its roll.import so
   * that many workers copy one card at once: these files stored as clips; the batch that stores
   * the card's last file settles and seals the roll. `otherFiles`: the card's files that are not
   * clips (stored by roll.import before it queued the batches).
   */
  'roll.import.files': {
    payload: z.object({
      rollId: z.uuid(),
      location: z.string().min(1),
      files: z.array(z.string().min(1)).min(1),
      otherFiles: z.number().int().min(0),
    }),
    policy: importPolicy,
  },
  /** Hash the original (against the roll's manifest) and check it decodes; then probe. */
  'clip.verify': { payload: clipPayload, policy: clipPolicy(60 * 60) },
  /**
   * Hourly (scheduled by the workers): uploads begun more than `olderThanHours` ago and never
   * assembled are aborted in the store (whose parts would otherwise be kept, and billed, for ever)
   * and forgotten; resumed later, such a file starts over.
   */
  'uploads.sweep': {
    payload: z.object({ olderThanHours: z.number().positive().default(72) }),
    policy: defaultPolicy,
  },
  /** Every clip of a roll has been checked: write Rushes' ASC MHL generation for it. */
  'roll.seal': {
    payload: z.object({ rollId: z.uuid() }),
    policy: defaultPolicy,
  },
  /** Extract and normalize the clip's metadata into its row; then queue its renders. */
  'clip.probe': { payload: clipPayload, policy: clipPolicy(10 * 60) },
  /**
   * Derived files of one clip, one proxy profile (profiles.ts): `review` is the review proxy with
   * the poster, thumbnail and scrub strip from the same decode (a waveform for sound); the
   * editorial profiles are editors' proxies.
   */
  'clip.render': {
    payload: clipPayload.extend({ output: proxyProfileId }),
    policy: clipPolicy(2 * 60 * 60),
  },
} as const satisfies Record<string, { payload: z.ZodType; policy: QueuePolicy }>;

export type JobName = keyof typeof jobDefinitions;

/**
 * Priority lanes: workers always take the highest priority first, so a freshly shot roll is not
 * stuck behind a reprocessing or backfill run. A clip's later jobs keep the lane of its first.
 */
export const LANES = { ingest: 10, reprocess: 5, backfill: 0 } as const;
export type Lane = keyof typeof LANES;
export type JobPayload<N extends JobName> = z.infer<(typeof jobDefinitions)[N]['payload']>;

export const jobNames = Object.keys(jobDefinitions) as JobName[];

const CLIP_JOBS = ['clip.verify', 'clip.probe', 'clip.render'] as const satisfies readonly JobName[];
export type ClipJobName = (typeof CLIP_JOBS)[number];

/** The task kind a clip job records in `tasks`: `verify`, `probe`, `review`, `proxy:<profile>`. */
export function clipTaskKind(name: ClipJobName, payload: JobPayload<ClipJobName>): string {
  if (name === 'clip.verify') return 'verify';
  if (name === 'clip.probe') return 'probe';
  return renderTaskKind((payload as JobPayload<'clip.render'>).output);
}

/** Pure: the task kind of a render output (declared with the profiles). */
export { renderTaskKind };

/**
 * The tasks a clip needs to be usable; it is ready when these have succeeded (and nothing else
 * is still running). Renders are optional: when one fails the clip is `partial`, not `failed`.
 */
export const clipPipeline = ['verify', 'probe'] as const;

export function isClipJob(name: JobName): name is ClipJobName {
  return (CLIP_JOBS as readonly string[]).includes(name);
}

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobDefinitions, name);
}

/**
 * The options a queue is created with, shaped as pg-boss's `createQueue` takes them. Creating a
 * queue is idempotent, so the api and every worker create the queues they use at start-up.
 */
export function queueOptions(name: JobName) {
  const { policy } = jobDefinitions[name];
  return {
    retryLimit: policy.retryLimit,
    retryDelay: policy.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: policy.expireInSeconds,
    ...(policy.heartbeatSeconds ? { heartbeatSeconds: policy.heartbeatSeconds } : {}),
    ...(policy.deadLetter ? { deadLetter: policy.deadLetter } : {}),
    /** Wake idle workers with NOTIFY instead of waiting for their next poll. */
    notify: true,
  };
}

/** Validates a payload read from the queue; throws a ZodError naming the bad field. */
export function parseJobPayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return jobDefinitions[name].payload.parse(data) as JobPayload<N>;
}
