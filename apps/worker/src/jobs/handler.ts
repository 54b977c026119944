import type { JobName, JobPayload } from '@rushes/schema/jobs';
import type { Logger } from 'pino';
import type { Database } from '../db.ts';

/** What a job handler may touch: passed in, never imported (CONVENTIONS: documenso). */
export interface HandlerDeps {
  db: Database;
  log: Logger;
  workerId: string;
}

export type JobHandler<N extends JobName> = (
  payload: JobPayload<N>,
  deps: HandlerDeps,
  signal: AbortSignal,
) => Promise<void>;
