/**
 * A card uploaded into the store (S3, s3rver behind the counting relay) is imported in
 * roll.import.files batches by two workers at once: every file one clip with one verify job, the
 * roll settled by the batch that stored the last file, never before, and sealed; the store
 * copied the files itself (no byte of the upload read through a worker); the upload removed.
 */
import { clips, productions, rolls, tasks } from '@rushes/schema/tables';
import { createDatabase } from '@rushes/data/db';
import { jobNames, queueOptions } from '@rushes/schema/jobs';
import type { S3BlobStore } from '@rushes/storage';
import { eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { startS3Server, type S3Server } from '../../../test/support/s3.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { IMPORT_BATCH } from '../src/ingest.ts';
import { startWorker, type RunningWorker } from '../src/worker.ts';

const FILES = 45; // three batches of at most 20
let database: TestDatabase;
let resources: ReturnType<typeof createDatabase>;
let boss: PgBoss;
let s3: S3Server;
let store: S3BlobStore;
const workers: RunningWorker[] = [];
const batchesBy: Record<string, number> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  resources = createDatabase(database.url, {
    max: 3,
    applicationName: 'batches-test',
    onIdleError: () => {},
  });
  boss = new PgBoss({ connectionString: database.url, supervise: false, schedule: false, max: 2 });
  await boss.start();
  for (const name of jobNames) await boss.createQueue(name, queueOptions(name));
  s3 = await startS3Server();
  store = s3.store();
  for (const id of ['left', 'right']) {
    const log = pino(
      { level: 'info' },
      {
        write(line: string) {
          if (line.includes('"import batch stored"')) batchesBy[id] = (batchesBy[id] ?? 0) + 1;
        },
      },
    );
    workers.push(
      await startWorker(
        {
          DATABASE_URL: database.url,
          WORKER_CONCURRENCY: 1,
          // Import and verify (which fails fast on these files, so the roll settles), no renders.
          WORKER_QUEUES: [
            'roll.import',
            'roll.import.files',
            'roll.import.failed',
            'clip.verify',
            'roll.seal',
          ],
          WORKER_ID: id,
        },
        log,
        { store },
      ),
    );
  }
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop(5_000)));
  await boss?.stop({ graceful: false });
  await resources?.pool.end();
  store?.close();
  await s3?.close();
  await database?.drop();
});

describe('an uploaded card imported in batches', () => {
  it('is copied by both workers, every file once, and settled by the batch that stored the last file', async () => {
    expect(IMPORT_BATCH.files).toBe(20);
    const [production] = await resources.db
      .insert(productions)
      .values({ name: 'Batches', code: 'BA', state: 'ready' })
      .returning();
    const [roll] = await resources.db
      .insert(rolls)
      .values({ productionId: production!.id, name: 'A001', sourceLocation: 'upload' })
      .returning();
    const rollId = roll!.id;
    // Not media a decoder knows (verify fails them fast), but named as camera files.
    for (let i = 0; i < FILES; i += 1)
      await store.put(
        `uploads/${rollId}/CLIPS/A001C${String(i).padStart(3, '0')}.mov`,
        Buffer.from(`not media ${i}\n`.repeat(150)),
      );
    await store.put(`uploads/${rollId}/A001_report.txt`, Buffer.from('camera report'));
    const uploadRead = () => s3.bytesRead((p) => p.includes(`/uploads/${rollId}/`));

    await boss.send('roll.import', { rollId, location: 'upload:' });
    const settled = await waitFor(
      'the roll to settle',
      async () => {
        const [r] = await resources.db.select().from(rolls).where(eq(rolls.id, rollId));
        return r && !['pending', 'processing'].includes(r.state) ? r : undefined;
      },
      120_000,
    );
    expect(settled).toMatchObject({
      state: 'failed',
      importFilesTotal: FILES + 1,
      importFilesDone: FILES + 1,
    });

    const rows = await resources.db.select().from(clips).where(eq(clips.rollId, rollId));
    expect(rows).toHaveLength(FILES);
    expect(new Set(rows.map((c) => c.originalPath)).size).toBe(FILES);
    expect([...new Set(rows.map((c) => [c.state, c.errorCode].join(' ')))]).toEqual(['failed NOT_MEDIA']);
    const verifies = await resources.pool.query<{ n: number }>(
      "select count(*)::int as n from pgboss.job where name = 'clip.verify'",
    );
    expect(verifies.rows[0]!.n).toBe(FILES);
    const verifyTasks = await resources.db.select().from(tasks).where(eq(tasks.kind, 'verify'));
    expect(verifyTasks).toHaveLength(FILES);

    // Three batches, taken by both workers.
    expect((batchesBy['left'] ?? 0) + (batchesBy['right'] ?? 0)).toBe(3);
    expect(batchesBy['left']).toBeGreaterThan(0);
    expect(batchesBy['right']).toBeGreaterThan(0);
    // Sealed; the upload copied by the store itself and then removed.
    await waitFor('the seal', async () => {
      const { rows: seals } = await resources.pool.query<{ state: string }>(
        "select state from pgboss.job where name = 'roll.seal' and state = 'completed'",
      );
      return seals.length > 0 ? true : undefined;
    });
    expect(uploadRead()).toBe(0);
    const left: string[] = [];
    for await (const o of store.list(`uploads/${rollId}/`)) left.push(o.key);
    expect(left).toEqual([]);
    const stored: string[] = [];
    for await (const o of store.list(`productions/${production!.id}/rolls/${rollId}/original/`))
      stored.push(o.key);
    // The card's files, and the seal's ASC MHL generation beside them.
    expect(stored.filter((k) => !k.includes('/ascmhl/'))).toHaveLength(FILES + 1);
    expect(stored.filter((k) => k.includes('/ascmhl/')).length).toBeGreaterThan(0);
  });
});
