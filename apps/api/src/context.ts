import type { BlobStore } from '@rushes/storage';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from './db.ts';
import { HealthService } from './modules/health/health.service.ts';
import { ProductionService } from './modules/production/production.service.ts';
import type { Queue } from './queue.ts';

/** Long-lived dependencies, created once per process and passed in (never imported). */
export interface ApiDeps {
  db: Database;
  pool: pg.Pool;
  queue: Queue;
  log: Logger;
  version: string;
  /** The object store; the api serves the local driver's signed URLs at /blobs/. */
  store?: BlobStore;
}

/** What every resolver receives: the services, bound to this request. */
export interface Context {
  health: HealthService;
  productions: ProductionService;
}

export function createContext(deps: ApiDeps): Context {
  return {
    health: new HealthService(deps.db, deps.version),
    productions: new ProductionService(deps.db, deps.pool, deps.queue),
  };
}
