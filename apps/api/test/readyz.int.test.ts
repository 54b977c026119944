/**
 * /readyz: ready only when the database answers, its schema is this build's migration head and
 * the store answers; otherwise 503 naming what is wrong. /healthz (liveness) touches none of them.
 */
import pg from 'pg';
import { readMigrationHead } from '@rushes/schema/migrations';
import { S3BlobStore } from '@rushes/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../test/support/s3.ts';
import { createDatabase } from '../src/db.ts';
import { ReadinessService } from '@rushes/data/readiness';
import { startTestApi, type TestApi } from './support/api.ts';

let api: TestApi;
let s3: S3Server;
beforeAll(async () => {
  [api, s3] = await Promise.all([startTestApi(), startS3Server('readyz')]);
});
afterAll(async () => {
  await api?.stop();
  await s3?.close();
});

async function readyz(): Promise<{ status: number; body: any }> {
  const response = await fetch(`${api.origin}/readyz`);
  return { status: response.status, body: await response.json() };
}

async function onDatabase(text: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: api.database.url });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

const s3Store = (bucket: string, endpoint = s3.endpoint) =>
  new S3BlobStore({
    bucket,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
  });

describe('/readyz', () => {
  it('answers 200 with each check when the database, its schema and the store are fine', async () => {
    const head = await readMigrationHead();
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ready: true,
      version: '9.9.9',
      checks: {
        database: { ok: true, detail: expect.stringMatching(/^PostgreSQL \d+/) },
        migrations: { ok: true, detail: `at ${head.tag}` },
        store: { ok: true, detail: 'answers' },
      },
    });
  });

  it('answers 503 when the newest migration is missing, telling to run the migrate command', async () => {
    const head = await readMigrationHead();
    await onDatabase('delete from drizzle.__drizzle_migrations where created_at = $1', [head.when]);
    try {
      const { status, body } = await readyz();
      expect(status).toBe(503);
      expect(body.ready).toBe(false);
      expect(body.checks.migrations).toEqual({
        ok: false,
        detail: `the database schema is older than this build (head: ${head.tag}); run the migrate command`,
      });
      expect(body.checks.database.ok).toBe(true);
    } finally {
      await onDatabase(
        "insert into drizzle.__drizzle_migrations (hash, created_at) values ('restored', $1)",
        [head.when],
      );
    }
    expect((await readyz()).status).toBe(200);
  });

  it('answers 503 for a schema migrated by a newer build, which this one does not know', async () => {
    const head = await readMigrationHead();
    await onDatabase("insert into drizzle.__drizzle_migrations (hash, created_at) values ('future', $1)", [
      head.when + 1,
    ]);
    try {
      const { status, body } = await readyz();
      expect(status).toBe(503);
      expect(body.checks.migrations.detail).toMatch(/^the database was migrated by a newer build/);
    } finally {
      await onDatabase("delete from drizzle.__drizzle_migrations where hash = 'future'");
    }
  });

  it('says the store is fine for an S3 bucket that exists, and not for one that does not', async () => {
    const good = await new ReadinessService({ db: api.resources.db, store: s3Store('readyz') }).check();
    expect(good.checks.store).toEqual({ ok: true, detail: 'answers' });
    const missing = await new ReadinessService({
      db: api.resources.db,
      store: s3Store('no-such-bucket'),
    }).check();
    expect(missing.ready).toBe(false);
    expect(missing.checks.store.ok).toBe(false);
    expect(missing.checks.store.detail).toMatch(/bucket/i);
    expect(missing.checks.database.ok).toBe(true);
  });

  it('reports an unreachable database and store within the time limit, not hanging the probe', async () => {
    const { db, pool } = createDatabase('postgres://nobody@127.0.0.1:1/none', () => undefined);
    try {
      const started = Date.now();
      const answer = await new ReadinessService(
        { db, store: s3Store('readyz', 'http://127.0.0.1:1') },
        { timeoutMs: 1_500 },
      ).check();
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(answer.ready).toBe(false);
      expect(answer.checks.database.ok).toBe(false);
      expect(answer.checks.database.detail).toMatch(/ECONNREFUSED|did not answer/);
      expect(answer.checks.migrations.ok).toBe(false);
      expect(answer.checks.store.ok).toBe(false);
    } finally {
      await pool.end();
    }
  });
});
