import { auditEvents } from '@rushes/schema/tables';
import { eq } from 'drizzle-orm';
import { createClient } from 'graphql-ws';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalBlobStore } from '@rushes/storage';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createDatabase } from '../src/db.ts';
import { startQueue, type Queue } from '../src/queue.ts';
import { createApiServer, type ApiServer } from '../src/server.ts';

let database: TestDatabase;
let server: ApiServer;
let queue: Queue;
let resources: ReturnType<typeof createDatabase>;
let url: string;
let store: LocalBlobStore;
let storeDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  resources = createDatabase(database.url, (error) => {
    throw error;
  });
  queue = await startQueue(database.url, (error) => {
    throw error;
  });
  const log = pino({ level: 'silent' });
  storeDir = await mkdtemp(path.join(tmpdir(), 'rushes-api-store-'));
  const secret = 'k'.repeat(32);
  // The api serves /blobs with the secret; links are signed for its address, known after listen.
  const served = new LocalBlobStore({ root: storeDir, secret, publicUrl: 'http://127.0.0.1:1' });
  server = await createApiServer(
    { ...resources, queue, log, version: '9.9.9', store: served },
    { corsOrigins: '*' },
  );
  const port = await server.listen(0, '127.0.0.1');
  store = new LocalBlobStore({ root: storeDir, secret, publicUrl: `http://127.0.0.1:${port}` });
  url = `http://127.0.0.1:${port}/graphql`;
});

afterAll(async () => {
  await server?.stop();
  await queue?.stop();
  await resources?.pool.end();
  await database?.drop();
  await rm(storeDir, { recursive: true, force: true });
});

async function graphql(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

const CREATE = `mutation Create($input: CreateProductionInput!) {
  createProduction(input: $input) { id name code state }
}`;

describe('api over HTTP', () => {
  it('reports health with the PostgreSQL version and its own version', async () => {
    const { body } = await graphql('{ health { ok database version } }');
    expect(body.data.health).toEqual({
      ok: true,
      database: expect.stringMatching(/^PostgreSQL \d+/),
      version: '9.9.9',
    });
  });

  it('creates a production, trims its name, upper-cases its code and records who did it', async () => {
    const { body } = await graphql(CREATE, { input: { name: '  Night   Shift ', code: 'ns-01' } });
    expect(body.errors).toBeUndefined();
    expect(body.data.createProduction).toMatchObject({
      name: 'Night Shift',
      code: 'NS-01',
      state: 'pending',
    });
    const id = body.data.createProduction.id as string;
    const events = await resources.db.select().from(auditEvents).where(eq(auditEvents.productionId, id));
    expect(events.map((e) => e.action)).toEqual(['production.created']);
    const list = await graphql('{ productions { id code } }');
    expect(list.body.data.productions).toContainEqual({ id, code: 'NS-01' });
  });

  it('enqueues the set-up job in the same transaction as the production', async () => {
    const { body } = await graphql(CREATE, { input: { name: 'Queued', code: 'QUEUED' } });
    const id = body.data.createProduction.id as string;
    const jobs = await resources.pool.query(
      "select data from pgboss.job where name = 'production.setup' and data->>'productionId' = $1",
      [id],
    );
    expect(jobs.rowCount).toBe(1);
  });

  it('refuses a duplicate code, whatever its case, with CONFLICT and keeps one production', async () => {
    await graphql(CREATE, { input: { name: 'First', code: 'DUP' } });
    const { body } = await graphql(CREATE, { input: { name: 'Second', code: 'dup' } });
    expect(body.errors?.[0]).toMatchObject({
      message: 'A production with code DUP already exists.',
      extensions: { code: 'CONFLICT', field: 'code' },
    });
    const list = await graphql('{ productions { code name } }');
    expect(list.body.data.productions.filter((p: { code: string }) => p.code === 'DUP')).toEqual([
      { code: 'DUP', name: 'First' },
    ]);
  });

  it('refuses an invalid code with BAD_USER_INPUT naming the field, and no stack trace', async () => {
    const { body } = await graphql(CREATE, { input: { name: 'Bad', code: 'no spaces!' } });
    expect(body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
    expect(body.errors?.[0].message).toContain('"no spaces!" is not a valid code');
  });

  it('answers a malformed request with 400 and a parse error, not a crash', async () => {
    const { status, body } = await graphql('{ productions { id ');
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const bad = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(bad.status).toBe(400);
  });

  it('serves the local store’s signed links at /blobs/, with ranges, and refuses unsigned ones', async () => {
    await store.put('productions/p/rolls/r/original/A001C001.mov', Buffer.from('0123456789'));
    const link = await store.signedGetUrl('productions/p/rolls/r/original/A001C001.mov');
    const whole = await fetch(link);
    expect(await whole.text()).toBe('0123456789');
    const part = await fetch(link, { headers: { range: 'bytes=2-4' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('234');
    const unsigned = await fetch(link.replace(/signature=[^&]+/, 'signature=forged'));
    expect(unsigned.status).toBe(403);
  });

  it('serves /healthz for load balancers', async () => {
    const response = await fetch(url.replace('/graphql', '/healthz'));
    expect(await response.json()).toEqual({ ok: true, version: '9.9.9' });
  });
});

describe('api over WebSocket (graphql-ws)', () => {
  it('answers an operation on the same port and path', async () => {
    const client = createClient({ url: url.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: false });
    try {
      const result = await new Promise<any>((resolve, reject) => {
        client.subscribe(
          { query: '{ health { ok } }' },
          { next: resolve, error: reject, complete: () => {} },
        );
      });
      expect(result).toEqual({ data: { health: { ok: true } } });
    } finally {
      await client.dispose();
    }
  });
});
