/**
 * A clip's later jobs go to the worker that holds its original (originals.ts), so the original
 * is read from the store once per clip, not once per job — without giving up what the shared
 * queue guarantees. Such a job is queued like any other but held for `holdSeconds` (pg-boss
 * `startAfter`): no other worker takes it meanwhile, and this worker runs it as soon as it has
 * a free slot, renewing the hold while it runs. Done, it is removed from the queue. If this
 * worker dies or is busy, the hold lapses and any worker takes the job from the queue as usual
 * (reading the original itself); if it stops, held jobs are freed at once.
 */
import { LANES, type JobName, type JobPayload, type Lane } from '@rushes/schema/jobs';
import type { JobResult, PgBoss } from 'pg-boss';

/** The queue operations this needs (pg-boss in worker.ts). */
export interface HoldingQueue {
  /** Queues a job no worker takes before `holdSeconds` have passed; its id (null: not queued). */
  send(name: JobName, payload: unknown, holdSeconds: number): Promise<string | null>;
  /** Holds a still-queued job `seconds` longer; false when another worker has it (or it is gone). */
  hold(name: JobName, id: string, seconds: number): Promise<boolean>;
  /** The job ran here: removes it from the queue. */
  remove(name: JobName, id: string): Promise<void>;
  /** Frees the job for any worker in `seconds` (0: at once). */
  release(name: JobName, id: string, seconds: number): Promise<void>;
  /** A clip's jobs of these queues any worker may take now (none has them or holds them). */
  waitingOfClip(clipId: string, names: readonly JobName[]): Promise<LocalJob[]>;
}

/** The hold as pg-boss `startAfter`, counted on the database's clock (relative seconds). */
export function pgBossHoldingQueue(boss: PgBoss): HoldingQueue {
  return {
    send(name, payload, seconds) {
      const lane: Lane = (payload as { lane?: Lane }).lane ?? 'ingest';
      return boss.send(name, payload as object, { priority: LANES[lane], startAfter: seconds });
    },
    async hold(name, id, seconds) {
      // Only a job still queued is changed: once a worker has taken it, `updated` is 0.
      return (await boss.update(name, undefined, { id, startAfter: seconds })).updated > 0;
    },
    async remove(name, id) {
      await boss.deleteJob(name, id);
    },
    async release(name, id, seconds) {
      await boss.update(name, undefined, { id, startAfter: seconds });
    },
    async waitingOfClip(clipId, names) {
      // pg-boss's own table (its schema is pinned with pg-boss in the lock file): jobs any
      // worker may take now — not those held for another worker (start_after ahead).
      const { rows } = await boss.getDb().executeSql(
        `select name, id, data from pgboss.job
          where name = any($1::text[]) and state in ('created', 'retry')
            and start_after <= now() and data->>'clipId' = $2`,
        [names, clipId],
      );
      return (rows as { name: JobName; id: string; data: unknown }[]).map((r) => ({
        name: r.name,
        id: r.id,
        payload: r.data,
      }));
    },
  };
}

export interface LocalJob {
  name: JobName;
  id: string;
  payload: unknown;
}

export interface AffinityOptions {
  /** Jobs of this kind run here at once. */
  capacity: number;
  holdSeconds: number;
  /** Seconds before a job that failed here (and may be retried) is free for any worker. */
  retryDelaySeconds: (name: JobName) => number;
  onError: (error: unknown, job: LocalJob) => void;
}

export class LocalFirst {
  readonly #queue: HoldingQueue;
  readonly #run: (job: LocalJob) => Promise<JobResult>;
  readonly #options: AffinityOptions;
  readonly #waiting: LocalJob[] = [];
  /** Ids of the jobs waiting or running here. */
  readonly #mine = new Set<string>();
  #running = 0;
  #stopped = false;
  /** Jobs run here, by how they ended (tests, metrics). */
  readonly counts = { ran: 0, takenElsewhere: 0 };

  constructor(queue: HoldingQueue, run: (job: LocalJob) => Promise<JobResult>, options: AffinityOptions) {
    this.#queue = queue;
    this.#run = run;
    this.#options = options;
  }

  /** Queues the job held for this worker and runs it here when a slot is free. */
  async submit<N extends JobName>(name: N, payload: JobPayload<N>): Promise<void> {
    const id = await this.#queue.send(name, payload, this.#options.holdSeconds);
    if (!id) return;
    if (this.#stopped) return this.#queue.release(name, id, 0);
    this.#mine.add(id);
    this.#waiting.push({ name, id, payload });
    this.#next();
  }

  /**
   * Takes over the clip's jobs still waiting in the shared queue (queued by a worker that does
   * not take them, e.g. renders queued by a verify/probe pool): held for this worker at once, so
   * the clip's other renders read the copy this worker is about to hold.
   */
  async adopt(clipId: string, names: readonly JobName[]): Promise<number> {
    if (this.#stopped || names.length === 0) return 0;
    let adopted = 0;
    for (const job of await this.#queue.waitingOfClip(clipId, names)) {
      if (this.#mine.has(job.id)) continue;
      if (!(await this.#queue.hold(job.name, job.id, this.#options.holdSeconds))) continue;
      this.#mine.add(job.id);
      this.#waiting.push(job);
      adopted += 1;
    }
    this.#next();
    return adopted;
  }

  #next(): void {
    while (!this.#stopped && this.#running < this.#options.capacity && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!;
      this.#running += 1;
      void this.#runHere(job)
        .catch((error: unknown) => this.#options.onError(error, job))
        .finally(() => {
          this.#mine.delete(job.id);
          this.#running -= 1;
          this.#next();
        });
    }
  }

  async #runHere(job: LocalJob): Promise<void> {
    const { holdSeconds } = this.#options;
    // Waited past its hold (this worker was busy): another worker may have it by now.
    if (!(await this.#queue.hold(job.name, job.id, holdSeconds))) {
      this.counts.takenElsewhere += 1;
      return;
    }
    const renew = setInterval(
      () =>
        void this.#queue
          .hold(job.name, job.id, holdSeconds)
          .catch((e: unknown) => this.#options.onError(e, job)),
      (holdSeconds * 1000) / 3,
    );
    let result: JobResult;
    try {
      result = await this.#run(job);
    } finally {
      clearInterval(renew);
    }
    this.counts.ran += 1;
    const code = (result.output as { code?: string } | undefined)?.code;
    if (result.status === 'completed' || result.status === 'deadletter') {
      // Its outcome is recorded on the clip's task; the queue has nothing left to do.
      await this.#queue.remove(job.name, job.id);
    } else {
      await this.#queue.release(
        job.name,
        job.id,
        code === 'INTERRUPTED' ? 0 : this.#options.retryDelaySeconds(job.name),
      );
    }
  }

  /** Takes no more jobs; those still waiting are freed for any worker at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const waiting = this.#waiting.splice(0);
    for (const job of waiting) this.#mine.delete(job.id);
    await Promise.all(
      waiting.map((job) =>
        this.#queue.release(job.name, job.id, 0).catch((e: unknown) => this.#options.onError(e, job)),
      ),
    );
  }
}
