/**
 * The web server's own routes, in front of Next.js: the browser talks only to this origin.
 *
 * - `POST /graphql` and the `/graphql` WebSocket are proxied to the api (http-proxy-3), the
 *   session cookie turned into `Authorization: Bearer` on the way (and never passed on).
 * - `POST /session/sign-in`, `/session/sign-up`, `/session/sign-out` call the api's mutations and
 *   set or clear the HttpOnly session cookie; the token itself never reaches the browser.
 *
 * Cross-site requests are refused before anything is forwarded (`refusal`): besides the
 * SameSite cookie, a POST must be JSON (which no other site's page can send here without a
 * CORS preflight, which this server never grants) and not marked cross-site by the browser.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseCookie } from 'cookie';
import { createProxyServer } from 'http-proxy-3';
import { z } from 'zod';
import { SESSION_COOKIE, sessionCookie } from '../lib/session-cookie.ts';
import { isHttps } from './security-headers.ts';

export interface GatewayOptions {
  /** The api's GraphQL endpoint as this server reaches it. */
  apiUrl: string;
  /** For failures worth an operator's eye (the api unreachable). */
  log?: (message: string) => void;
}

export interface Gateway {
  /** Serves `req` when it is one of the gateway's routes and says so; false leaves it to Next. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** A WebSocket upgrade: `/graphql` is proxied, anything else refused. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

type Headers = IncomingMessage['headers'];

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Pure: whether the browser says this request comes from another site — Fetch Metadata
 * (`Sec-Fetch-Site`) where it is sent, else an `Origin` naming another host.
 */
export function isCrossSite(headers: Headers): boolean {
  const site = first(headers['sec-fetch-site']);
  if (site !== undefined) return site !== 'same-origin';
  const origin = first(headers['origin']);
  if (origin === undefined) return false;
  const host = first(headers['x-forwarded-host'])?.split(',')[0]?.trim() ?? first(headers['host']);
  return URL.parse(origin)?.host !== host;
}

/** Pure: why a request to a gateway route is refused before it is forwarded, if it is. */
export function refusal(method: string | undefined, headers: Headers): Refusal | undefined {
  if (method !== 'POST') {
    return { status: 405, code: 'METHOD_NOT_ALLOWED', message: 'This address takes POST requests only.' };
  }
  if (isCrossSite(headers)) {
    return { status: 403, code: 'CROSS_SITE_REQUEST', message: 'Requests from other sites are refused.' };
  }
  const type = first(headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    return {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Send the request as JSON (Content-Type: application/json).',
    };
  }
  return undefined;
}

/** Pure: the session token in a Cookie header, if any. */
export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  return (cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined) || undefined;
}

/** Pure: the X-Forwarded-For the api sees, so its per-client limits count the browser, not us. */
export function forwardedFor(req: Pick<IncomingMessage, 'headers' | 'socket'>): string {
  const before = first(req.headers['x-forwarded-for']);
  const peer = req.socket.remoteAddress ?? 'unknown';
  return before ? `${before}, ${peer}` : peer;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function sendRefusal(res: ServerResponse, { status, code, message }: Refusal) {
  sendJson(
    res,
    status,
    { errors: [{ message, extensions: { code } }] },
    status === 405 ? { allow: 'POST' } : {},
  );
}

const SIGN_IN = `mutation SignIn($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { token }
}`;
const SIGN_UP = `mutation SignUp($email: String!, $password: String!, $name: String, $invitation: String) {
  signUp(email: $email, password: $password, name: $name, invitation: $invitation) { token }
}`;
const SIGN_OUT = 'mutation SignOut { signOut }';

/** The operations the gateway sends itself (a test validates them against the api's schema). */
export const GATEWAY_OPERATIONS = [SIGN_IN, SIGN_UP, SIGN_OUT];

const credentials = z.object({ email: z.string().max(320), password: z.string().max(1024) });
const signUp = credentials.extend({
  name: z.string().max(200).nullish(),
  invitation: z.string().max(200).nullish(),
});

const UNREACHABLE: Refusal = {
  status: 502,
  code: 'API_UNREACHABLE',
  message: 'The Rushes api cannot be reached.',
};

/** Session bodies are a few fields: more than this is not one. */
const MAX_BODY = 16 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new RangeError('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

interface ApiAnswer {
  status: number;
  retryAfter: string | null;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
  };
}

export function createGateway({ apiUrl, log = console.error }: GatewayOptions): Gateway {
  /** Proxied requests that carried a session cookie. */
  const withSession = new WeakSet<IncomingMessage>();
  const proxy = createProxyServer({
    target: apiUrl,
    // The api's own path, whatever the browser's was: only /graphql reaches here.
    ignorePath: true,
    changeOrigin: true,
    xfwd: true,
    ws: true,
    proxyTimeout: 120_000,
  });

  proxy.on('proxyRes', (proxyRes, req) => {
    // The api sets no cookies; if it ever did, they would be for its own origin, not this one.
    delete proxyRes.headers['set-cookie'];
    for (const header of Object.keys(proxyRes.headers)) {
      if (header.startsWith('access-control-')) delete proxyRes.headers[header];
    }
    // A session the api no longer knows (expired, signed out elsewhere) is forgotten here too.
    if (proxyRes.statusCode === 401 && withSession.has(req)) {
      proxyRes.headers['set-cookie'] = [sessionCookie(null, isHttps(req))];
    }
  });
  proxy.on('error', (error, _req, out) => {
    log(`rushes web: the api at ${apiUrl} did not answer: ${error.message}`);
    if ('writeHead' in out && !out.headersSent) sendRefusal(out, UNREACHABLE);
    else out.destroy();
  });

  /** Replaces the browser's credentials with the session's, for the api. */
  function authorize(req: IncomingMessage): void {
    const token = sessionTokenOf(req.headers.cookie);
    delete req.headers.cookie;
    delete req.headers.authorization;
    if (token) {
      req.headers.authorization = `Bearer ${token}`;
      withSession.add(req);
    }
  }

  async function callApi(
    req: IncomingMessage,
    query: string,
    variables: Record<string, unknown>,
    token?: string,
  ): Promise<ApiAnswer> {
    const response = await fetch(apiUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': forwardedFor(req),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as ApiAnswer['body'],
    };
  }

  async function session(req: IncomingMessage, res: ServerResponse, action: string): Promise<void> {
    const secure = isHttps(req);
    let input: unknown;
    try {
      input = await readJson(req);
    } catch (error) {
      const tooLarge = error instanceof RangeError;
      sendRefusal(res, {
        status: tooLarge ? 413 : 400,
        code: tooLarge ? 'BODY_TOO_LARGE' : 'BAD_REQUEST',
        message: tooLarge ? 'The request body is too large.' : 'The request body is not JSON.',
      });
      return;
    }
    if (action === 'sign-out') {
      const token = sessionTokenOf(req.headers.cookie);
      // The cookie goes whatever the api says: signing out must always work.
      if (token) await callApi(req, SIGN_OUT, {}, token).catch(() => undefined);
      sendJson(res, 200, { ok: true }, { 'set-cookie': sessionCookie(null, secure) });
      return;
    }
    const parsed = (action === 'sign-up' ? signUp : credentials).safeParse(input);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'body');
      sendRefusal(res, {
        status: 400,
        code: 'BAD_USER_INPUT',
        message: `The ${field} is missing or not valid.`,
      });
      return;
    }
    const answer = await callApi(req, action === 'sign-up' ? SIGN_UP : SIGN_IN, parsed.data);
    const token = (
      answer.body.data?.[action === 'sign-up' ? 'signUp' : 'signIn'] as { token?: string } | null
    )?.token;
    if (token) {
      sendJson(res, 200, { ok: true }, { 'set-cookie': sessionCookie(token, secure) });
      return;
    }
    const errors: { message: string; extensions: { code: string; [key: string]: unknown } }[] = (
      answer.body.errors ?? [{ message: 'The api did not sign you in.' }]
    ).map((e) => ({
      message: e.message,
      // As the api said it: the code and its details (a throttled sign-in's retryAfterSeconds).
      extensions: { ...e.extensions, code: e.extensions?.code ?? 'INTERNAL_SERVER_ERROR' },
    }));
    // A refusal is an HTTP error here, whatever status the api gave its GraphQL answer.
    const wait =
      answer.retryAfter ??
      errors.find((e) => e.extensions['retryAfterSeconds'])?.extensions['retryAfterSeconds'];
    const throttled = errors.some((e) => e.extensions.code === 'TOO_MANY_ATTEMPTS');
    sendJson(
      res,
      answer.status >= 400 ? answer.status : throttled ? 429 : 400,
      { errors },
      wait !== undefined ? { 'retry-after': String(wait) } : {},
    );
  }

  return {
    handle(req, res) {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/graphql') {
        const refused = refusal(req.method, req.headers);
        if (refused) sendRefusal(res, refused);
        else {
          authorize(req);
          proxy.web(req, res);
        }
        return true;
      }
      if (!path.startsWith('/session/')) return false;
      const action = /^\/session\/(sign-in|sign-up|sign-out)$/.exec(path)?.[1];
      const refused = action
        ? refusal(req.method, req.headers)
        : { status: 404, code: 'NOT_FOUND', message: `There is no ${path}.` };
      if (refused) {
        sendRefusal(res, refused);
        return true;
      }
      session(req, res, action!).catch((error: Error) => {
        log(`rushes web: ${path} failed: ${error.message}`);
        if (!res.headersSent) sendRefusal(res, UNREACHABLE);
      });
      return true;
    },
    upgrade(req, socket, head) {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/graphql' || isCrossSite(req.headers)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      authorize(req);
      proxy.ws(req, socket, head);
    },
    close() {
      proxy.close();
    },
  };
}
