/**
 * Limits before work, against a real api: hostile queries are refused cheaply with 400 and the
 * limit named while /healthz stays fast, every express error is JSON without a stack, and clients
 * over their rate limits get 429 with Retry-After, over HTTP and over the WebSocket.
 * Each scenario speaks from its own address (X-Forwarded-For, trusted from loopback by default).
 */
import { Worker } from 'node:worker_threads';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIMITS } from '../src/graphql/limits.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { waitFor } from '../../../test/support/wait.ts';

const RATE_LIMITS = {
  ipPerMinute: 20,
  principalPerMinute: 6,
  wsConnectionsPerIp: 2,
  wsOperationsPerMinute: 3,
};

let api: TestApi;
/** The instance admin; the WebSocket scenario watches `productionId` as them. */
let owner: string;
let productionId: string;
/** Invitation of busy@example.com, who spends their requests per minute. */
let invitation: string;
let nextAddress = 1;
/** A fresh client address for each scenario, so their counts never mix. */
const address = () => `198.51.100.${nextAddress++}`;

beforeAll(async () => {
  api = await startTestApi({ rateLimits: RATE_LIMITS });
  owner = await api.signUp('owner@example.com');
  const created = await post(
    query('mutation { createProduction(input: { name: "Watch", code: "WATCH" }) { id } }'),
    address(),
    owner,
  );
  productionId = created.body.data.createProduction.id;
  const added = await post(
    query(
      'mutation($p: ID!) { addMember(productionId: $p, email: "busy@example.com", role: editor) { invitation } }',
      {
        p: productionId,
      },
    ),
    address(),
    owner,
  );
  invitation = added.body.data.addMember.invitation;
});

afterAll(async () => {
  await api?.stop();
});

async function post(body: string, from: string, token?: string) {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': from,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

const query = (text: string, variables?: Record<string, unknown>) =>
  JSON.stringify({ query: text, variables });

/** 40,000 fields, no aliases, ~860 KB: parsed whole, it held the event loop for half a second. */
const wide = query(`{ ${'productions(first: 1) { totalCount }            '.repeat(20_000)} }`);
/** 10,001 fragments, each spreading the next. */
const chain = query(
  `query { ...F0 } ${Array.from({ length: 10_001 }, (_, i) =>
    i < 10_000 ? `fragment F${i} on Query { ...F${i + 1} }` : `fragment F${i} on Query { __typename }`,
  ).join(' ')}`,
);
/** Within the tokens limit, 2^39 fields once its 40 fragments are expanded. */
const bomb = query(
  `query { ...F0 } ${Array.from({ length: 40 }, (_, i) =>
    i < 39
      ? `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`
      : `fragment F${i} on Query { __typename }`,
  ).join(' ')}`,
);

function expectNoStack(text: string) {
  expect(text).not.toMatch(/<html|<pre|\n\s+at |node_modules|\.ts:\d+/i);
}

/**
 * Sends the hostile requests from a worker thread: building and sending 860 KB bodies is then
 * not on the event loop the api and the /healthz probe share. `rounds` × `bodies`, each request
 * from its own address; resolves with each answer's status and body.
 */
function attack(bodies: string[], rounds: number): Promise<{ status: number; text: string }[][]> {
  const addresses = Array.from({ length: rounds }, () => bodies.map(() => address()));
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { url, bodies, addresses } = workerData;
    (async () => {
      const rounds = [];
      for (const from of addresses) {
        rounds.push(await Promise.all(bodies.map(async (body, i) => {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': from[i] },
            body,
          });
          return { status: response.status, text: await response.text() };
        })));
      }
      parentPort.postMessage(rounds);
    })().catch((error) => parentPort.postMessage({ error: String(error) }));
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { url: api.url, bodies, addresses } });
    worker.once('message', (message) => {
      void worker.terminate();
      if ('error' in message) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

describe('hostile queries', () => {
  it('are each refused with 400 and the limit named while /healthz keeps answering (< 1 s; without the limits it stalled 6.8 s)', async () => {
    expect(wide.length).toBeGreaterThan(850_000);
    // Warm up both paths (JIT, first connections) so the measurement is of the attack alone.
    for (let i = 0; i < 3; i++) {
      await fetch(`${api.origin}/healthz`).then((r) => r.text());
      await post(wide, address());
      await post(query('{ health { ok } }'), address());
    }

    // A process on a loaded 2-core machine sees scheduling stalls of its own: 50–135 ms in a CI-mode
    // run with Playwright and Chromium beside, up to 1 s with builds running too. So the attack runs
    // up to 3 times and the quietest run must stay under 1 s: a stall the requests themselves cause
    // (6.8 s before the limits; ~10 ms of work per hostile request now) would show in every run.
    const runs: number[] = [];
    for (let run = 0; run < 3 && !(runs.length > 0 && Math.min(...runs) < 1000); run++) {
      const latencies: number[] = [];
      let attacking = true;
      const probe = (async () => {
        while (attacking || latencies.length < 5) {
          const started = performance.now();
          const response = await fetch(`${api.origin}/healthz`);
          await response.text();
          latencies.push(performance.now() - started);
          expect(response.status).toBe(200);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      // Four 40,000-field queries, the 10,001-fragment one and a fragment bomb at once, 3 times.
      const rounds = await attack([wide, wide, wide, wide, chain, bomb], 3).finally(() => {
        attacking = false;
      });
      await probe;

      for (const results of rounds) {
        expect(results.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400]);
        expect(results.map((r) => JSON.parse(r.text).errors[0].extensions)).toEqual([
          ...Array.from({ length: 5 }, () => ({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'tokens' })),
          { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'fields' },
        ]);
      }
      expect(latencies.length).toBeGreaterThanOrEqual(5);
      runs.push(Math.max(...latencies));
      console.log(
        `/healthz during the attack (run ${run + 1}): ${latencies.length} calls, max ${Math.max(...latencies).toFixed(1)} ms`,
      );
    }
    expect(Math.min(...runs)).toBeLessThan(1000);

    // A normal query still works.
    const normal = await post(query('{ health { ok version } }'), address());
    expect(normal.status).toBe(200);
    expect(normal.body.data.health).toEqual({ ok: true, version: '9.9.9' });
  });

  it('answers a too costly query 400, not 500, naming the complexity limit', async () => {
    const costly = await post(
      query('{ productions(first: 500) { nodes { clips(first: 500) { nodes { renditions { name } } } } } }'),
      address(),
    );
    expect(costly.status).toBe(400);
    expect(costly.body.errors[0].extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'complexity',
    });
  });

  it('answers too deep and too many aliases 400 with the limit', async () => {
    const deep = `{ productions { nodes { rolls { nodes { clips { nodes { roll { production { rolls { nodes { clips { nodes { id } } } } } } } } } } } } }`;
    const tooDeep = await post(query(deep), address());
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' });
    const aliases = `{ ${Array.from({ length: LIMITS.aliases + 1 }, (_, i) => `h${i}: health { ok }`).join(' ')} }`;
    const many = await post(query(aliases), address());
    expect(many.status).toBe(400);
    expect(many.body.errors[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases' });
  });
});

describe('errors outside GraphQL', () => {
  it('refuses a 2 MB body with 413 and a JSON error naming the limit, no stack', async () => {
    const huge = query(`{ health { ok } } # ${'x'.repeat(2_000_000)}`);
    const response = await post(huge, address()).catch(async () => {
      throw new Error('the api closed the connection instead of answering 413');
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      errors: [
        {
          message: `The request body is larger than ${LIMITS.bodyBytes} bytes; the limit is ${LIMITS.bodyBytes}.`,
          extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 'bodyBytes' },
        },
      ],
    });
    expectNoStack(response.text);
  });

  it('answers malformed JSON 400 and an unknown route 404, both as JSON', async () => {
    const malformed = await post('{"query": ', address());
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]).toEqual({
      message: 'The request body is not valid JSON.',
      extensions: { code: 'BAD_REQUEST' },
    });
    expectNoStack(malformed.text);

    const missing = await fetch(`${api.origin}/nothing/here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await missing.json()).toEqual({
      errors: [{ message: 'Nothing is served at GET /nothing/here.', extensions: { code: 'NOT_FOUND' } }],
    });
  });
});

describe('rate limits over HTTP', () => {
  it('refuses an address past its requests per minute with 429 and Retry-After; /healthz never', async () => {
    const from = address();
    for (let i = 0; i < RATE_LIMITS.ipPerMinute; i++) {
      expect((await post(query('{ health { ok } }'), from)).status).toBe(200);
    }
    const refused = await post(query('{ health { ok } }'), from);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body).toEqual({
      errors: [
        {
          message: `Too many requests from this address; try again in ${retryAfter} s.`,
          extensions: { code: 'RATE_LIMITED', limit: 'ip', retryAfterSeconds: retryAfter },
        },
      ],
    });
    // The same address: signed links are limited too, /healthz is not.
    const exports = await fetch(`${api.origin}/exports/rolls/x.ale`, {
      headers: { 'x-forwarded-for': from },
    });
    expect(exports.status).toBe(429);
    for (let i = 0; i < 5; i++) {
      const health = await fetch(`${api.origin}/healthz`, { headers: { 'x-forwarded-for': from } });
      expect(health.status).toBe(200);
    }
    // Another address is untouched.
    expect((await post(query('{ health { ok } }'), address())).status).toBe(200);
  });

  it('refuses a user past their requests per minute from any address', async () => {
    const token = await api.signUp('busy@example.com', invitation);
    for (let i = 0; i < RATE_LIMITS.principalPerMinute; i++) {
      expect((await post(query('{ viewer { email } }'), address(), token)).status).toBe(200);
    }
    const refused = await post(query('{ viewer { email } }'), address(), token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'principal' });
    // Anonymous requests from a fresh address are not that user's.
    expect((await post(query('{ health { ok } }'), address())).status).toBe(200);
  });
});

describe('rate limits over WebSocket', () => {
  /** A raw socket from `from`: resolves open, or the HTTP answer that refused the upgrade. */
  function open(
    from: string,
  ): Promise<{ socket?: WebSocket; status?: number; retryAfter?: string; body?: any }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(api.url.replace('http', 'ws'), 'graphql-transport-ws', {
        headers: { 'x-forwarded-for': from },
      });
      socket.once('open', () => resolve({ socket }));
      socket.once('unexpected-response', (_request, response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            retryAfter: response.headers['retry-after'] as string,
            body: JSON.parse(text),
          }),
        );
      });
      socket.once('error', reject);
    });
  }

  it('refuses a connection past the open connections per address with 429, and frees the slot on close', async () => {
    const from = address();
    const first = await open(from);
    const second = await open(from);
    const third = await open(from);
    expect(third.status).toBe(429);
    expect(third.retryAfter).toBe('30');
    expect(third.body.errors[0].extensions).toEqual({
      code: 'RATE_LIMITED',
      limit: 'connections',
      retryAfterSeconds: 30,
    });
    expect((await open(address())).socket).toBeDefined();
    first.socket!.close();
    await new Promise((resolve) => first.socket!.once('close', resolve));
    // The server frees the slot when it sees the close, a moment after this side does.
    const again = await waitFor('the closed connection’s slot to be freed', async () => {
      const attempt = await open(from);
      return attempt.socket ? attempt : undefined;
    });
    expect(again.socket).toBeDefined();
    second.socket!.close();
    again.socket!.close();
  });

  it('refuses a subscribe past the operations per connection, saying when to retry', async () => {
    const token = owner;
    const from = address();
    class FromAddress extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { 'x-forwarded-for': from } });
      }
    }
    const client = createClient({
      url: api.url.replace('http', 'ws'),
      webSocketImpl: FromAddress,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    try {
      const outcomes: unknown[] = [];
      for (let i = 0; i <= RATE_LIMITS.wsOperationsPerMinute; i++) {
        client.subscribe(
          {
            query: 'subscription($p: ID!) { productionActivity(productionId: $p) { type } }',
            variables: { p: productionId },
          },
          { next: () => {}, error: (error) => outcomes.push(error), complete: () => {} },
        );
      }
      const started = Date.now();
      while (outcomes.length === 0 && Date.now() - started < 5000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Only the one past the limit failed.
      expect(outcomes).toHaveLength(1);
      const [errors] = outcomes as { message: string; extensions: Record<string, unknown> }[][];
      expect(errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'connection' });
      expect(errors![0]!.extensions['retryAfterSeconds']).toBeGreaterThanOrEqual(1);
      expect(errors![0]!.message).toMatch(/^Too many operations on this connection; try again in \d+ s\.$/);
    } finally {
      await client.dispose();
    }
  });
});
