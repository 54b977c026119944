/**
 * Behind PgBouncer in session mode (as the README's connection budget says it works): a worker
 * whose every connection — its pool, its queue and its LISTEN — goes through PgBouncer takes a
 * card to ready, and migrations (their session advisory lock) apply through it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase } from '@rushes/data/db';
import { jobNames, queueOptions } from '@rushes/schema/jobs';
import { productions, rolls } from '@rushes/schema/tables';
import { LocalBlobStore } from '@rushes/storage';
import { eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../../scripts/lib/database.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { startPgBouncer, type PgBouncer } from '../../../test/support/pgbouncer.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { importFolder } from '../src/ingest.ts';
import { startWorker, type RunningWorker } from '../src/worker.ts';
import { makeGoodCard } from './support/card.ts';

let database: TestDatabase;
let bouncer: PgBouncer;
let worker: RunningWorker | undefined;
let card: string;
let storeDir: string;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  bouncer = await startPgBouncer(database.url, 'session');
  card = await makeGoodCard(2, '320x180', 1);
  storeDir = await mkdtemp(path.join(tmpdir(), 'rushes-store-'));
});
afterAll(async () => {
  await worker?.stop(5_000);
  await bouncer?.stop();
  await database?.drop();
  await rm(card, { recursive: true, force: true });
  await rm(storeDir, { recursive: true, force: true });
});

describe('behind PgBouncer in session mode', () => {
  it('migrates, and a worker takes a card to ready with every connection through PgBouncer', async () => {
    await migrateDatabase(bouncer.url);
    const store = new LocalBlobStore({
      root: storeDir,
      secret: 's'.repeat(32),
      publicUrl: 'http://127.0.0.1:1',
    });
    worker = await startWorker(
      { DATABASE_URL: bouncer.url, WORKER_CONCURRENCY: 1, WORKER_QUEUES: jobNames, WORKER_ID: 'bounced' },
      pino({ level: 'silent' }),
      { store },
    );
    const resources = createDatabase(bouncer.url, {
      max: 2,
      applicationName: 'bouncer-test',
      onIdleError: () => {},
    });
    const boss = new PgBoss({ connectionString: bouncer.url, supervise: false, schedule: false, max: 2 });
    await boss.start();
    try {
      for (const name of jobNames) await boss.createQueue(name, queueOptions(name));
      await resources.db.insert(productions).values({ name: 'Bounced', code: 'BO' });
      const { rollId } = await importFolder(
        { ...resources, store, boss },
        { dir: card, productionCode: 'BO', rollName: 'A001' },
      );
      const roll = await waitFor(
        'the roll to settle',
        async () => {
          const [r] = await resources.db.select().from(rolls).where(eq(rolls.id, rollId));
          return r && !['pending', 'processing'].includes(r.state) ? r : undefined;
        },
        120_000,
      );
      expect(roll.state).toBe('ready');
      // The worker's pool and its LISTEN connection are PgBouncer's clients.
      const clients = await bouncer.clients();
      expect(clients).toContain('rushes-worker');
      expect(clients).toContain('rushes-worker-listen');
    } finally {
      await boss.stop({ graceful: false });
      await resources.pool.end();
    }
  });
});
