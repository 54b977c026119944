/**
 * One request pipeline (pipeline.ts): an internal failure inside a subscription — when it starts
 * and when an event arrives — reaches the client masked, with a request id, exactly as over HTTP,
 * while the log has the real message under that id. The failure is real: the clips table is
 * renamed away under the running api.
 */
import { Writable } from 'node:stream';
import { EVENTS_CHANNEL, type StatusEvent } from '@rushes/schema/events';
import { createClient, type Client } from 'graphql-ws';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { toGlobalId } from '../src/auth/ids.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { seedRoll } from './support/seed.ts';

let api: TestApi;
let owner: string;
let seeded: Awaited<ReturnType<typeof seedRoll>>;
const logLines: Record<string, unknown>[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  api = await startTestApi({ log: pino({ level: 'info' }, sink) });
  owner = await api.signUp('owner@example.com');
  const { body } = await api.graphql(
    'mutation { createProduction(input: { name: "Pipeline", code: "PIPE" }) { id } }',
    {},
    owner,
  );
  const productionId = Buffer.from(body.data.createProduction.id, 'base64url').toString().split(':')[1]!;
  seeded = await seedRoll(api.resources.db, api.store, productionId, 'A001', [
    { fileName: 'A.mov', reel: 'A001', startTimecode: '01:00:00:00', startFrame: 86400, durationFrames: 48 },
  ]);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await api?.stop();
});

function connect(): Client {
  const client = createClient({
    url: api.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${owner}` },
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

async function until(check: () => boolean, what: string, ms = 5000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function withoutClips<T>(run: () => Promise<T>): Promise<T> {
  await api.resources.pool.query('alter table clips rename to clips_away');
  try {
    return await run();
  } finally {
    await api.resources.pool.query('alter table clips_away rename to clips');
  }
}

const CLIP_UPDATED = 'subscription($c: ID!) { clipUpdated(clipId: $c) { fileName } }';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The masked error a client must see, and the log line with the real message under its id. */
function expectMasked(errors: { message: string; extensions: Record<string, unknown> }[]) {
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({
    message: 'Internal server error.',
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.stringMatching(UUID) },
  });
  expect(JSON.stringify(errors)).not.toMatch(/clips|relation|select/i);
  const requestId = errors[0]!.extensions['requestId'];
  const logged = logLines.find((l) => l['msg'] === 'internal error' && l['requestId'] === requestId);
  expect(JSON.stringify(logged)).toMatch(/relation \\"clips\\" does not exist/);
}

describe('errors inside subscriptions', () => {
  it('are masked with a request id when the subscription fails to start, and logged with the real message', async () => {
    const outcome = await withoutClips(
      () =>
        new Promise<any>((resolve) => {
          connect().subscribe(
            { query: CLIP_UPDATED, variables: { c: toGlobalId('Clip', seeded.clips[0]!.id) } },
            { next: resolve, error: resolve, complete: () => {} },
          );
        }),
    );
    expectMasked(outcome.errors ?? outcome);
  });

  it('are masked with a request id when an event cannot be resolved, and the subscription goes on', async () => {
    const received: any[] = [];
    const before = api.events.subscriberCount;
    connect().subscribe(
      { query: CLIP_UPDATED, variables: { c: toGlobalId('Clip', seeded.clips[0]!.id) } },
      {
        next: (value) => received.push(value),
        error: (e) => received.push({ failed: e }),
        complete: () => {},
      },
    );
    await until(() => api.events.subscriberCount > before, 'the subscription');
    const event: StatusEvent = {
      type: 'task.updated',
      productionId: seeded.roll.productionId,
      rollId: seeded.roll.id,
      clipId: seeded.clips[0]!.id,
      taskId: '00000000-0000-4000-8000-000000000001',
      kind: 'review',
      state: 'running',
      progress: 0.5,
    };
    const notify = () =>
      api.resources.pool.query('select pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(event)]);
    await withoutClips(async () => {
      await notify();
      await until(() => received.length >= 1, 'the failed event');
    });
    expect(received[0].data).toBeNull();
    expectMasked(received[0].errors);
    await notify();
    await until(() => received.length >= 2, 'the next event');
    expect(received[1]).toEqual({ data: { clipUpdated: { fileName: 'A.mov' } } });
  });
});

describe("the caller's own errors over the WebSocket", () => {
  it('are shown as written, with the codes HTTP gives them, and no request id', async () => {
    const client = connect();
    const outcome = (query: string, variables: Record<string, unknown> = {}) =>
      new Promise<any>((resolve) => {
        client.subscribe({ query, variables }, { next: resolve, error: resolve, complete: () => {} });
      });
    const syntax = await outcome('subscription {');
    expect(syntax[0].extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
    expect(syntax[0].message).toMatch(/^Syntax Error/);
    const invalid = await outcome('subscription { nope }');
    expect(invalid).toMatchObject([
      {
        message: 'Cannot query field "nope" on type "Subscription".',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
    const unknown = await outcome(CLIP_UPDATED, {
      c: toGlobalId('Clip', '00000000-0000-4000-8000-000000000009'),
    });
    expect(unknown.errors ?? unknown).toMatchObject([
      { message: 'No clip with that id.', extensions: { code: 'NOT_FOUND' } },
    ]);
    expect(JSON.stringify(unknown)).not.toMatch(/requestId/);
  });
});

describe('the same masking over HTTP', () => {
  it('puts the request id in the masked error too, the same id as the x-request-id header', async () => {
    const response = await withoutClips(() =>
      fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` },
        body: JSON.stringify({
          query: 'query($c: ID!) { node(id: $c) { id } }',
          variables: { c: toGlobalId('Clip', seeded.clips[0]!.id) },
        }),
      }),
    );
    const body = (await response.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expectMasked(body.errors);
    expect(body.errors[0]!.extensions['requestId']).toBe(response.headers.get('x-request-id'));
  });
});
