/**
 * The web server's gateway in front of a real api: sessions live in an HttpOnly cookie the
 * gateway sets, turns into the api's bearer header for `/graphql` (HTTP and WebSocket), and
 * clears; requests another site could make are refused before they reach the api.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENTS_CHANNEL } from '@rushes/schema/events';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PASSWORD, startTestApi, type TestApi } from '../../api/test/support/api.ts';
import { createGateway, type Gateway } from '../src/server/gateway.ts';

let api: TestApi;
let gateway: Gateway;
let server: Server;
let web: string;
const logs: string[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  api = await startTestApi();
  gateway = createGateway({ apiUrl: api.url, log: (message) => logs.push(message) });
  server = createServer((req, res) => {
    if (!gateway.handle(req, res)) res.writeHead(404).end('left to Next.js');
  });
  server.on('upgrade', (req, socket, head) => gateway.upgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  web = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  gateway?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await api?.stop();
});

const json = { 'content-type': 'application/json' };

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${web}${path}`, {
    method: 'POST',
    headers: { ...json, ...headers },
    body: JSON.stringify(body),
  });
}

/** The `name=value` part of a Set-Cookie header, to send back as a Cookie header. */
const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0]!;

async function viewer(headers: Record<string, string>) {
  const response = await post('/graphql', { query: '{ viewer { email } }' }, headers);
  return { status: response.status, body: (await response.json()) as any, response };
}

describe('the web session', () => {
  let cookie: string;

  it('is created by /session/sign-up as an HttpOnly cookie; the token never reaches the page', async () => {
    const response = await post('/session/sign-up', { email: 'admin@example.com', password: PASSWORD });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ ok: true });
    expect(text).not.toMatch(/rs_/);
    expect(response.headers.get('set-cookie')).toMatch(
      /^rushes_session=rs_[^;]+; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    cookie = cookieOf(response);
  });

  it('is what /graphql acts as; a bearer header from the page is not', async () => {
    const signedIn = await viewer({ cookie, 'sec-fetch-site': 'same-origin' });
    expect(signedIn.body).toEqual({ data: { viewer: { email: 'admin@example.com' } } });
    expect((await viewer({})).body).toEqual({ data: { viewer: null } });
    const token = decodeURIComponent(cookie.split('=')[1]!);
    expect((await viewer({ authorization: `Bearer ${token}` })).body).toEqual({ data: { viewer: null } });
  });

  it('is refused for what another site could send, before the api sees it', async () => {
    const before = api.queries.length;
    const plain = await fetch(`${web}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie },
      body: JSON.stringify({ query: 'mutation { signOut }' }),
    });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toEqual({
      errors: [
        {
          message: 'Send the request as JSON (Content-Type: application/json).',
          extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
        },
      ],
    });
    const crossSite = await post(
      '/graphql',
      { query: 'mutation { signOut }' },
      { cookie, 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    const otherOrigin = await post('/session/sign-out', {}, { cookie, origin: 'https://evil.example' });
    expect(otherOrigin.status).toBe(403);
    expect(otherOrigin.headers.get('set-cookie')).toBeNull();
    const get = await fetch(`${web}/graphql?query=${encodeURIComponent('{ viewer { email } }')}`, {
      headers: { cookie },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await post('/session/steal', {})).status).toBe(404);
    expect((await fetch(`${web}/p/X`)).status).toBe(404);
    expect(await (await fetch(`${web}/p/X`)).text()).toBe('left to Next.js');
    expect(api.queries.length).toBe(before);
    // Still signed in: none of those signed out.
    expect((await viewer({ cookie })).body.data.viewer).toEqual({ email: 'admin@example.com' });
  });

  it('refuses a wrong password with the api’s message, and signs in with the right one', async () => {
    const wrong = await post('/session/sign-in', {
      email: 'admin@example.com',
      password: 'not the password',
    });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const { errors } = (await wrong.json()) as any;
    expect(errors[0].message).toBe('That e-mail and password do not match an account.');
    const missing = await post('/session/sign-in', { email: 'admin@example.com' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      errors: [{ message: 'The password is missing or not valid.', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    const right = await post('/session/sign-in', { email: 'admin@example.com', password: PASSWORD });
    expect(right.status).toBe(200);
    expect((await viewer({ cookie: cookieOf(right) })).body.data.viewer.email).toBe('admin@example.com');
  });

  it('passes on a throttled sign-in as the api said it: the status, Retry-After and the wait', async () => {
    let last: Response | undefined;
    for (let attempt = 0; attempt < 8 && last?.status !== 429; attempt += 1) {
      last = await post('/session/sign-in', { email: 'nobody@example.com', password: 'not the password' });
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    const { errors } = (await last!.json()) as any;
    expect(errors[0].extensions).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    expect(errors[0].extensions.retryAfterSeconds).toBe(Number(last!.headers.get('retry-after')));
    expect(last!.headers.get('set-cookie')).toBeNull();
  });

  it('ends at /session/sign-out: the cookie is cleared and the api forgets the token', async () => {
    const right = await post('/session/sign-in', { email: 'admin@example.com', password: PASSWORD });
    const session = cookieOf(right);
    const out = await post('/session/sign-out', {}, { cookie: session });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toBe('rushes_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax');
    // The old cookie, replayed: the api refuses it and the gateway clears it again.
    const replay = await viewer({ cookie: session });
    expect(replay.status).toBe(401);
    expect(replay.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(replay.response.headers.get('set-cookie')).toBe(
      'rushes_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax',
    );
  });

  it('carries the session over the /graphql WebSocket, and refuses sockets opened by other sites', async () => {
    const created = await post(
      '/graphql',
      { query: 'mutation { createProduction(input: { name: "Socket", code: "SOCK" }) { id } }' },
      { cookie },
    );
    const productionId: string = ((await created.json()) as any).data.createProduction.id;
    const connect = (headers: Record<string, string>) => {
      class WithHeaders extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers });
        }
      }
      const client = createClient({
        url: `${web.replace('http', 'ws')}/graphql`,
        webSocketImpl: WithHeaders,
        retryAttempts: 0,
      });
      clients.push(client);
      return client;
    };
    const subscribe = (client: Client) => {
      const received: any[] = [];
      const errors: any[] = [];
      client.subscribe(
        {
          query: 'subscription($p: ID!) { productionActivity(productionId: $p) { type progress } }',
          variables: { p: productionId },
        },
        { next: (value) => received.push(value), error: (error) => errors.push(error), complete: () => {} },
      );
      return { received, errors };
    };
    const until = async (check: () => boolean, what: string) => {
      for (const start = Date.now(); !check(); await new Promise((r) => setTimeout(r, 20))) {
        if (Date.now() - start > 5000) throw new Error(`timed out waiting for ${what}`);
      }
    };

    const signedIn = subscribe(connect({ cookie, origin: web }));
    await until(() => api.events.subscriberCount >= 1, 'the subscription');
    const productionUuid = Buffer.from(productionId, 'base64url').toString().split(':')[1];
    await api.resources.pool.query('select pg_notify($1, $2)', [
      EVENTS_CHANNEL,
      JSON.stringify({
        type: 'task.updated',
        productionId: productionUuid,
        rollId: '00000000-0000-4000-8000-000000000002',
        clipId: '00000000-0000-4000-8000-000000000003',
        taskId: '00000000-0000-4000-8000-000000000001',
        kind: 'review',
        state: 'running',
        progress: 0.5,
      }),
    ]);
    await until(() => signedIn.received.length >= 1, 'the event');
    expect(signedIn.received[0]).toEqual({
      data: { productionActivity: { type: 'task.updated', progress: 0.5 } },
    });

    // Without the cookie the same subscription is someone else's production: refused.
    const anonymous = subscribe(connect({ origin: web }));
    await until(() => anonymous.received.length + anonymous.errors.length >= 1, 'the anonymous refusal');
    expect(JSON.stringify([...anonymous.received, ...anonymous.errors])).toMatch(
      /NOT_FOUND|UNAUTHENTICATED|FORBIDDEN/,
    );
    expect(anonymous.received.every((r) => !r.data?.productionActivity)).toBe(true);

    // A cookie the api does not know: the api closes the socket (4403).
    const forged = subscribe(connect({ cookie: 'rushes_session=rs_session_forged', origin: web }));
    await until(() => forged.errors.length >= 1, 'the forged cookie’s close');
    expect(forged.errors[0].code).toBe(4403);

    // A page of another site: the upgrade itself is refused.
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${web.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
        headers: { cookie, origin: 'https://evil.example' },
      });
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => reject(new Error('a cross-site socket was opened')));
      socket.on('error', () => {});
    });
    expect(status).toBe(403);
  });

  it('answers 502 with a code when the api is down', async () => {
    const down = createGateway({
      apiUrl: 'http://127.0.0.1:1/graphql',
      log: (message) => logs.push(message),
    });
    const lone = createServer((req, res) => void down.handle(req, res));
    await new Promise<void>((resolve) => lone.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(lone.address() as AddressInfo).port}`;
      for (const path of ['/graphql', '/session/sign-in']) {
        const response = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ query: '{ viewer { email } }', email: 'a@example.com', password: 'x' }),
        });
        expect(response.status).toBe(502);
        expect(((await response.json()) as any).errors[0].extensions.code).toBe('API_UNREACHABLE');
      }
      expect(logs.some((line) => line.includes('http://127.0.0.1:1/graphql'))).toBe(true);
    } finally {
      down.close();
      await new Promise((resolve) => lone.close(resolve));
    }
  });
});
