/**
 * The hourly sweep of abandoned uploads, against a real S3 server: an upload begun long ago and
 * never assembled is aborted in the store (its parts gone) and forgotten; a recent one, and one
 * already assembled, are kept. The worker schedules the sweep when it takes the queue.
 */
import { createDatabase } from '@rushes/data/db';
import { productions, rolls, uploads } from '@rushes/schema/tables';
import type { S3BlobStore } from '@rushes/storage';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { startS3Server, type S3Server } from '../../../test/support/s3.ts';
import { uploadsSweep } from '../src/jobs/uploads-sweep.handler.ts';
import { startWorker, type RunningWorker } from '../src/worker.ts';
import type { HandlerDeps } from '../src/jobs/handler.ts';

let database: TestDatabase;
let resources: ReturnType<typeof createDatabase>;
let s3: S3Server;
let store: S3BlobStore;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  resources = createDatabase(database.url, { max: 2, applicationName: 'sweep-test', onIdleError: () => {} });
  s3 = await startS3Server();
  store = s3.store();
});
afterAll(async () => {
  await worker?.stop(5_000);
  await resources?.pool.end();
  store?.close();
  await s3?.close();
  await database?.drop();
});

describe('uploads.sweep', () => {
  it('aborts and forgets uploads never assembled past the limit, keeps the rest', async () => {
    const [production] = await resources.db
      .insert(productions)
      .values({ name: 'Sweep', code: 'SW' })
      .returning();
    const [roll] = await resources.db
      .insert(rolls)
      .values({ productionId: production!.id, name: 'A001' })
      .returning();
    const begin = async (path: string, state: string, hoursAgo: number) => {
      const objectKey = `uploads/${roll!.id}/${path}`;
      const storeUploadId = await store.beginMultipart(objectKey);
      await store.uploadPart(objectKey, storeUploadId, 1, Buffer.alloc(1024, 1));
      const [row] = await resources.db
        .insert(uploads)
        .values({
          rollId: roll!.id,
          path,
          objectKey,
          storeUploadId,
          sizeBytes: 1024,
          partSizeBytes: 1024,
          state,
        })
        .returning();
      await resources.db
        .update(uploads)
        .set({ updatedAt: sql`now() - make_interval(hours => ${hoursAgo})` })
        .where(eq(uploads.id, row!.id));
      return { objectKey, storeUploadId };
    };
    const abandoned = await begin('A001C001.mov', 'open', 100);
    const recent = await begin('A001C002.mov', 'open', 1);
    await begin('A001C003.mov', 'uploaded', 100);

    const deps = { db: resources.db, store, log: pino({ level: 'silent' }) } as unknown as HandlerDeps;
    await uploadsSweep({ olderThanHours: 72 }, deps, {
      jobId: 'sweep',
      signal: new AbortController().signal,
      lastAttempt: false,
      progress: () => {},
    });

    const left = await resources.db.select({ path: uploads.path, state: uploads.state }).from(uploads);
    expect(left.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'A001C002.mov', state: 'open' },
      { path: 'A001C003.mov', state: 'uploaded' },
    ]);
    // The store was told to abort the abandoned upload, and only that one (seen on the wire).
    const aborts = s3
      .requests()
      .filter((r) => r.method === 'DELETE' && r.query.includes('uploadId='))
      .map((r) => [r.path.endsWith(abandoned.objectKey), new URLSearchParams(r.query).get('uploadId')]);
    expect(aborts).toEqual([[true, abandoned.storeUploadId]]);
    // The recent one goes on.
    const part = await store.uploadPart(recent.objectKey, recent.storeUploadId, 1, Buffer.alloc(1024, 2));
    expect(await store.completeMultipart(recent.objectKey, recent.storeUploadId, [part])).toEqual({
      size: 1024,
    });
  });

  it('is scheduled hourly by a worker that takes its queue', async () => {
    worker = await startWorker(
      {
        DATABASE_URL: database.url,
        WORKER_CONCURRENCY: 1,
        WORKER_QUEUES: ['uploads.sweep'],
        WORKER_ID: 'sweeper',
        UPLOAD_ABANDON_HOURS: 48,
      },
      pino({ level: 'silent' }),
      { store },
    );
    const { rows } = await resources.pool.query<{ cron: string; data: unknown }>(
      "select cron, data from pgboss.schedule where name = 'uploads.sweep'",
    );
    expect(rows).toEqual([{ cron: '23 * * * *', data: { olderThanHours: 48 } }]);
  });
});
