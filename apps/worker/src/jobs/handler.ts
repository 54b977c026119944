import type { Engine } from '@rushes/engine';
import type { JobName, JobPayload, Lane } from '@rushes/schema/jobs';
import type { BlobStore } from '@rushes/storage';
import type { Logger } from 'pino';
import type { Database } from '@rushes/data/db';
import type { IngestRequest, IngestResult } from '../ingest.ts';
import type { OriginalsCache } from '../originals.ts';

/** What a job handler may touch: passed in, never imported (as in documenso's job definitions). */
export interface HandlerDeps {
  db: Database;
  log: Logger;
  workerId: string;
  store: BlobStore;
  /** Local copies of the originals (read each from the store once per worker). */
  originals: OriginalsCache;
  engine: Engine;
  /** ffmpeg threads per render: this worker's cores shared out among its renders (sizing.ts). */
  renderThreads: number;
  /**
   * The import location resolved on this machine, when `productionId` may import it (import
   * roots, protected places, the folder exists); throws IngestError saying why not.
   */
  checkImportLocation(location: string, productionId: string): Promise<string>;
  /** Imports the card at `location` (see sourceForLocation) into a roll, file after file. */
  importCard(location: string, request: Omit<IngestRequest, 'dir'>): Promise<IngestResult>;
  /**
   * Plans the import of a card in an object store (`upload:`, `s3://…`) and queues its media
   * files as `roll.import.files` batches for any worker (see importRollInBatches).
   */
  importCardInBatches(
    location: string,
    request: Omit<IngestRequest, 'dir'> & { rollId: string },
  ): Promise<{ rollId: string; batches: number; clipFiles: number }>;
  /** Stores one batch of such an import; `completed`: it stored the card's last file. */
  importFileBatch(
    location: string,
    batch: { rollId: string; productionId: string; files: readonly string[]; otherFiles: number },
  ): Promise<{ stored: number; completed: boolean }>;
  /** A render took `wallSeconds` for `mediaSeconds` of media (the realtime factor metric). */
  observeRender(output: string, mediaSeconds: number, wallSeconds: number): void;
  /**
   * Queues the next job of a pipeline, in its lane (default: ingest). A clip's later jobs go to
   * this worker first (it holds the original; see WORKER_AFFINITY_SECONDS).
   */
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, lane?: Lane): Promise<void>;
}

export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  /** No retry follows if this attempt fails. */
  lastAttempt: boolean;
  /** A clip task's progress, 0–1 (written to `tasks`, sent on `rushes_events`). */
  progress(fraction: number): void;
}

export type JobHandler<N extends JobName> = (
  payload: JobPayload<N>,
  deps: HandlerDeps,
  job: JobContext,
) => Promise<void>;
