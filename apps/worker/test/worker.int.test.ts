import { auditEvents, productions } from '@rushes/schema/tables';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { tmpdir } from 'node:os';
import { LocalBlobStore } from '@rushes/storage';
import { LANES } from '@rushes/schema/jobs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { createDatabase } from '../src/db.ts';
import { startWorker, type RunningWorker } from '../src/worker.ts';

let database: TestDatabase;
let worker: RunningWorker;
let sender: PgBoss;
let resources: ReturnType<typeof createDatabase>;

beforeAll(async () => {
  database = await createTestDatabase();
  resources = createDatabase(database.url, 2, (error) => {
    throw error;
  });
  worker = await startWorker(
    {
      DATABASE_URL: database.url,
      WORKER_CONCURRENCY: 2,
      WORKER_QUEUES: ['production.setup'],
      WORKER_ID: 'test-worker',
    },
    pino({ level: 'silent' }),
    {
      store: new LocalBlobStore({ root: tmpdir(), secret: 's'.repeat(32), publicUrl: 'http://127.0.0.1:1' }),
    },
  );
  sender = new PgBoss({ connectionString: database.url, supervise: false, schedule: false });
  await sender.start();
});

afterAll(async () => {
  await sender?.stop({ graceful: false });
  await worker?.stop(5_000);
  await resources?.pool.end();
  await database?.drop();
});

async function newProduction(code: string): Promise<string> {
  const [row] = await resources.db.insert(productions).values({ name: code, code }).returning();
  return row!.id;
}

async function stateOf(id: string) {
  const [row] = await resources.db
    .select({ state: productions.state })
    .from(productions)
    .where(eq(productions.id, id));
  return row?.state;
}

describe('worker', () => {
  it('takes a production.setup job from pg-boss and marks the production ready', async () => {
    const id = await newProduction('SETUP');
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const notified = new Promise<string>((resolve) =>
      listener.on('notification', (n) => resolve(n.payload ?? '')),
    );
    await listener.query('listen rushes_events');
    try {
      await sender.send('production.setup', { productionId: id });
      await waitFor('the production to be ready', async () =>
        (await stateOf(id)) === 'ready' ? true : undefined,
      );
      expect(JSON.parse(await notified)).toEqual({
        type: 'production.updated',
        productionId: id,
        state: 'ready',
      });
    } finally {
      await listener.end();
    }
    const events = await resources.db.select().from(auditEvents).where(eq(auditEvents.productionId, id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'production.ready', actorWorker: 'test-worker' });
  });

  it('converges when the same job runs twice: one audit event, still ready', async () => {
    const id = await newProduction('TWICE');
    const before = worker.counts.completed;
    await sender.send('production.setup', { productionId: id });
    await sender.send('production.setup', { productionId: id });
    await waitFor('both jobs to finish', async () =>
      worker.counts.completed >= before + 2 ? true : undefined,
    );
    expect(await stateOf(id)).toBe('ready');
    const events = await resources.db.select().from(auditEvents).where(eq(auditEvents.productionId, id));
    expect(events).toHaveLength(1);
  });

  it('fails a job with an invalid payload at once, without retrying it', async () => {
    const jobId = await sender.send('production.setup', { productionId: 'not-a-uuid' });
    const job = await waitFor('the job to fail', async () => {
      const [found] = await sender.findJobs('production.setup', { id: jobId! });
      return found?.state === 'failed' ? found : undefined;
    });
    expect(job.retryCount).toBe(0);
    expect(job.output).toMatchObject({ code: 'BAD_PAYLOAD' });
  });

  it('hands out ingest work before reprocessing and backfill (priority lanes)', async () => {
    const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    // This worker does not take clip queues; the jobs wait to be fetched here.
    await sender.send('clip.verify', { clipId: id(1), lane: 'backfill' }, { priority: LANES.backfill });
    await sender.send('clip.verify', { clipId: id(2), lane: 'reprocess' }, { priority: LANES.reprocess });
    await sender.send('clip.verify', { clipId: id(3), lane: 'ingest' }, { priority: LANES.ingest });
    const order: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const [job] = await sender.fetch<{ lane: string }>('clip.verify');
      order.push(job!.data.lane);
    }
    expect(order).toEqual(['ingest', 'reprocess', 'backfill']);
  });
});
