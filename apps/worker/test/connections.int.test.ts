/**
 * The connection budget: a worker holds at most DATABASE_POOL_SIZE connections for its jobs and
 * its queue together, plus one for LISTEN — measured in pg_stat_activity while it takes a roll
 * through every queue (import, verify, probe, renders, seal).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase } from '@rushes/data/db';
import { productions, rolls } from '@rushes/schema/tables';
import { jobNames, queueOptions } from '@rushes/schema/jobs';
import { LocalBlobStore } from '@rushes/storage';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { importFolder } from '../src/ingest.ts';
import { startWorker, type RunningWorker } from '../src/worker.ts';
import { makeGoodCard } from './support/card.ts';

const POOL = 3;
let database: TestDatabase;
let resources: ReturnType<typeof createDatabase>;
let boss: PgBoss;
let worker: RunningWorker;
let card: string;
let storeDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  card = await makeGoodCard(4, '320x180', 1);
  storeDir = await mkdtemp(path.join(tmpdir(), 'rushes-store-'));
  // The test's own connections carry another name, so they are not counted as the worker's.
  resources = createDatabase(database.url, {
    max: 2,
    applicationName: 'connections-test',
    onIdleError: () => {},
  });
  boss = new PgBoss({
    connectionString: database.url,
    application_name: 'connections-test',
    max: 2,
    supervise: false,
    schedule: false,
  });
  await boss.start();
  for (const name of jobNames) await boss.createQueue(name, queueOptions(name));
  await resources.db
    .insert(productions)
    .values({ name: 'Budget', code: 'BU', proxyProfiles: [{ id: 'premiere' }] });
});
afterAll(async () => {
  await worker?.stop(5_000);
  await boss?.stop({ graceful: false });
  await resources?.pool.end();
  await database?.drop();
  await rm(card, { recursive: true, force: true });
  await rm(storeDir, { recursive: true, force: true });
});

describe('connections', () => {
  it('a worker holds at most its pool size plus one (LISTEN) while it runs every queue', async () => {
    worker = await startWorker(
      {
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: POOL,
        WORKER_CONCURRENCY: 2,
        WORKER_QUEUES: jobNames,
        WORKER_ID: 'budget',
      },
      pino({ level: 'silent' }),
      {
        store: new LocalBlobStore({
          root: storeDir,
          secret: 's'.repeat(32),
          publicUrl: 'http://127.0.0.1:1',
        }),
      },
    );
    const sampler = new pg.Client({
      connectionString: database.url,
      application_name: 'connections-sampler',
    });
    await sampler.connect();
    const seen: { total: number; listen: number }[] = [];
    const sample = async () => {
      const { rows } = await sampler.query<{ total: number; listen: number }>(
        `select count(*)::int as total,
                count(*) filter (where application_name = 'rushes-worker-listen')::int as listen
           from pg_stat_activity where datname = current_database() and application_name like 'rushes-worker%'`,
      );
      seen.push(rows[0]!);
    };
    const { rollId } = await importFolder(
      {
        ...resources,
        store: new LocalBlobStore({
          root: storeDir,
          secret: 's'.repeat(32),
          publicUrl: 'http://127.0.0.1:1',
        }),
        boss,
      },
      { dir: card, productionCode: 'BU', rollName: 'A001' },
    );
    const roll = await waitFor(
      'the roll to settle',
      async () => {
        await sample();
        const [r] = await resources.db.select().from(rolls).where(eq(rolls.id, rollId));
        return r && r.state !== 'processing' && r.state !== 'pending' ? r : undefined;
      },
      120_000,
    );
    await sampler.end();
    expect(roll.state).toBe('ready');
    expect(seen.length).toBeGreaterThan(10);
    expect(Math.max(...seen.map((s) => s.total))).toBeLessThanOrEqual(POOL + 1);
    expect(Math.max(...seen.map((s) => s.listen))).toBe(1);
  });
});
