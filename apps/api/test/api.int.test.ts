import { auditEvents, productionMembers } from '@rushes/schema/tables';
import { eq } from 'drizzle-orm';
import { Writable } from 'node:stream';
import { createClient } from 'graphql-ws';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fromGlobalId } from '../src/auth/ids.ts';
import { startTestApi, type TestApi } from './support/api.ts';

let api: TestApi;
let admin: string;

const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  api = await startTestApi({ log: pino({ level: 'info' }, sink) });
  admin = await api.signUp('admin@example.com');
});

afterAll(async () => {
  await api?.stop();
});

const CREATE = `mutation Create($input: CreateProductionInput!) {
  createProduction(input: $input) { id name code state role }
}`;

describe('api over HTTP', () => {
  it('reports health with the PostgreSQL version and its own version, without signing in', async () => {
    const { body } = await api.graphql('{ health { ok database version } }');
    expect(body.data.health).toEqual({
      ok: true,
      database: expect.stringMatching(/^PostgreSQL \d+/),
      version: '9.9.9',
    });
  });

  it('creates a production with the creator as owner, trims its name, upper-cases its code and audits it', async () => {
    const { body } = await api.graphql(CREATE, { input: { name: '  Night   Shift ', code: 'ns-01' } }, admin);
    expect(body.errors).toBeUndefined();
    expect(body.data.createProduction).toMatchObject({
      name: 'Night Shift',
      code: 'NS-01',
      state: 'pending',
      role: 'owner',
    });
    const id = fromGlobalId(body.data.createProduction.id)!.id;
    const events = await api.resources.db.select().from(auditEvents).where(eq(auditEvents.productionId, id));
    expect(events.map((e) => e.action)).toEqual(['production.created']);
    expect(events[0]!.actorUserId).toMatch(/^[0-9a-f-]{36}$/);
    const members = await api.resources.db
      .select()
      .from(productionMembers)
      .where(eq(productionMembers.productionId, id));
    expect(members.map((m) => m.role)).toEqual(['owner']);
    const list = await api.graphql('{ productions { totalCount nodes { id code } } }', {}, admin);
    expect(list.body.data.productions.nodes).toContainEqual({
      id: body.data.createProduction.id,
      code: 'NS-01',
    });
  });

  it('enqueues the set-up job in the same transaction as the production', async () => {
    const { body } = await api.graphql(CREATE, { input: { name: 'Queued', code: 'QUEUED' } }, admin);
    const id = fromGlobalId(body.data.createProduction.id)!.id;
    const jobs = await api.resources.pool.query(
      "select data from pgboss.job where name = 'production.setup' and data->>'productionId' = $1",
      [id],
    );
    expect(jobs.rowCount).toBe(1);
  });

  it('refuses a duplicate code, whatever its case, with CONFLICT and keeps one production', async () => {
    await api.graphql(CREATE, { input: { name: 'First', code: 'DUP' } }, admin);
    const { body } = await api.graphql(CREATE, { input: { name: 'Second', code: 'dup' } }, admin);
    expect(body.errors?.[0]).toMatchObject({
      message: 'A production with code DUP already exists.',
      extensions: { code: 'CONFLICT', field: 'code' },
    });
    const one = await api.graphql('{ production(code: "dup") { name } }', {}, admin);
    expect(one.body.data.production).toEqual({ name: 'First' });
  });

  it('refuses an invalid code with BAD_USER_INPUT naming the field, and no stack trace', async () => {
    const { body } = await api.graphql(CREATE, { input: { name: 'Bad', code: 'no spaces!' } }, admin);
    expect(body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
    expect(body.errors?.[0].message).toContain('"no spaces!" is not a valid code');
  });

  it('answers a malformed request with 400 and a parse error, not a crash', async () => {
    const { status, body } = await api.graphql('{ productions { id ');
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const bad = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(bad.status).toBe(400);
  });

  it('serves the local store’s signed links at /blobs/, with ranges, and refuses unsigned ones', async () => {
    await api.store.put('productions/p/rolls/r/original/A001C001.mov', Buffer.from('0123456789'));
    const link = await api.store.signedGetUrl('productions/p/rolls/r/original/A001C001.mov');
    const whole = await fetch(link);
    expect(await whole.text()).toBe('0123456789');
    const part = await fetch(link, { headers: { range: 'bytes=2-4' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('234');
    const unsigned = await fetch(link.replace(/signature=[^&]+/, 'signature=forged'));
    expect(unsigned.status).toBe(403);
  });

  it('hides an internal failure from the caller and logs it under the request id', async () => {
    await api.resources.pool.query('alter table rolls rename to rolls_away');
    try {
      const { body: created } = await api.graphql(
        CREATE,
        { input: { name: 'Internal', code: 'INT' } },
        admin,
      );
      const response = await fetch(api.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${admin}`,
          'x-request-id': 'req-internal-1',
        },
        body: JSON.stringify({
          query: 'query($id: ID!) { rolls(productionId: $id) { totalCount } }',
          variables: { id: created.data.createProduction.id },
        }),
      });
      const body = (await response.json()) as { errors: { message: string; extensions: unknown }[] };
      expect(body.errors[0]).toMatchObject({
        message: 'Internal server error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(JSON.stringify(body)).not.toMatch(/rolls_away|relation|select/i);
    } finally {
      await api.resources.pool.query('alter table rolls_away rename to rolls');
    }
    const logged = logLines.find((l) => l['msg'] === 'internal error' && l['requestId'] === 'req-internal-1');
    expect(JSON.stringify(logged)).toMatch(/relation \\"rolls\\" does not exist/);
  });

  it('refuses a shoot day that is not a date, naming the field', async () => {
    const { body } = await api.graphql(CREATE, { input: { name: 'Days', code: 'DAYS' } }, admin);
    const { body: roll } = await api.graphql(
      'mutation($id: ID!) { createRoll(input: { productionId: $id, name: "A001", shootDay: "2026-13-45" }) { id } }',
      { id: body.data.createProduction.id },
      admin,
    );
    expect(roll.errors?.[0]).toMatchObject({
      message: '"2026-13-45" is not a shoot day: use YYYY-MM-DD, e.g. 2026-11-20.',
      extensions: { code: 'BAD_USER_INPUT', field: 'shootDay' },
    });
  });

  it('serves /healthz for load balancers and echoes a request id', async () => {
    const response = await fetch(`${api.origin}/healthz`, { headers: { 'x-request-id': 'req-42' } });
    expect(await response.json()).toEqual({ ok: true, version: '9.9.9' });
    expect(response.headers.get('x-request-id')).toBe('req-42');
  });

  it('serves an offline GraphQL IDE to browsers at /graphql, with its assets from the api itself', async () => {
    const page = await fetch(api.url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.every((a) => a.startsWith('/graphql-ide/'))).toBe(true);
    for (const asset of assets) expect((await fetch(`${api.origin}${asset}`)).status).toBe(200);
  });
});

describe('api over WebSocket (graphql-ws)', () => {
  it('answers an operation on the same port and path', async () => {
    const client = createClient({
      url: api.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      lazy: false,
    });
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
