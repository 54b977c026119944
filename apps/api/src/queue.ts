/**
 * The api's side of the queue: it only sends. Jobs are sent inside the caller's transaction, so
 * a row and the job that processes it are committed together or not at all.
 */
import { jobNames, queueOptions, type JobName, type JobPayload } from '@rushes/schema/jobs';
import { PgBoss } from 'pg-boss';
import type pg from 'pg';

export interface Queue {
  /** Enqueues `name` on the connection `client`, within its open transaction. */
  send<N extends JobName>(
    client: pg.PoolClient,
    name: N,
    payload: JobPayload<N>,
    options?: { priority?: number },
  ): Promise<void>;
  /** Withdraws a job; a worker running it is told through the job's abort signal. */
  cancel(name: JobName, jobId: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * On the api's own pool (one pool per process: see the README's connection budget); it never
 * listens. `onError`: pg-boss's errors (a lost connection it will retry); unheard, they end the
 * process.
 */
export async function startQueue(pool: pg.Pool, onError: (error: Error) => void): Promise<Queue> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => pool.query(text, values) },
    // Maintenance and scheduling belong to the workers; the api only sends.
    supervise: false,
    schedule: false,
  });
  boss.on('error', onError);
  await boss.start();
  for (const name of jobNames) await boss.createQueue(name, queueOptions(name));
  return {
    async send(client, name, payload, options) {
      await boss.send(name, payload, {
        ...(options?.priority !== undefined ? { priority: options.priority } : {}),
        db: { executeSql: (text, values) => client.query(text, values as unknown[]) },
      });
    },
    async cancel(name, jobId) {
      await boss.cancel(name, jobId);
    },
    stop: () => boss.stop({ graceful: false }),
  };
}
