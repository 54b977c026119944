/**
 * A real api on a free port for tests: its own migrated database, pg-boss queue, LISTEN hub and
 * local store (served at /blobs by the api itself), with helpers to call it as someone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalBlobStore, protectedPlaces } from '@rushes/storage';
import { pino, type Logger } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import {
  DEFAULT_SIGN_IN_LIMITS,
  SignInThrottle,
  type SignInLimits,
} from '../../src/auth/sign-in-throttle.ts';
import type { AllowedOrigins } from '../../src/cors.ts';
import { createDatabase } from '../../src/db.ts';
import { EventHub } from '../../src/events/hub.ts';
import { startQueue, type Queue } from '../../src/queue.ts';
import type { RateLimitSettings } from '../../src/rate-limits.ts';
import { createApiServer, type ApiServer } from '../../src/server.ts';

export interface GraphqlResult {
  status: number;
  body: { data?: any; errors?: any[] };
}

export interface TestApi {
  url: string;
  origin: string;
  database: TestDatabase;
  resources: ReturnType<typeof createDatabase>;
  queue: Queue;
  store: LocalBlobStore;
  /** The local store's folder (never importable). */
  storeDir: string;
  events: EventHub;
  server: ApiServer;
  /** Every SQL statement the api's pool runs, for query-count assertions. */
  queries: string[];
  graphql(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphqlResult>;
  /** Signs up (first call: the instance admin) and returns the session token. */
  signUp(email: string, invitation?: string): Promise<string>;
  stop(): Promise<void>;
}

export const PASSWORD = 'correct horse battery';

export async function startTestApi(
  options: {
    log?: Logger;
    signInLimits?: Partial<SignInLimits>;
    corsOrigins?: AllowedOrigins;
    /** Per-client rate limits; by default so high that no other test meets them. */
    rateLimits?: Partial<RateLimitSettings>;
  } = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  const resources = createDatabase(database.url, (error) => {
    throw error;
  });
  const queries: string[] = [];
  const query = resources.pool.query.bind(resources.pool);
  resources.pool.query = ((text: unknown, ...rest: unknown[]) => {
    queries.push(typeof text === 'string' ? text : String((text as { text?: string }).text));
    return (query as (...args: unknown[]) => unknown)(text, ...rest);
  }) as typeof resources.pool.query;
  const queue = await startQueue(resources.pool, (error) => {
    throw error;
  });
  const log = options.log ?? pino({ level: process.env['TEST_API_LOG'] ?? 'silent' });
  const storeDir = await mkdtemp(path.join(tmpdir(), 'rushes-api-store-'));
  const secret = 'k'.repeat(32);
  const events = new EventHub(database.url, log);
  await events.start();
  // Links are signed for the api's address, known only after listen: the store is re-made then.
  const holder = { store: new LocalBlobStore({ root: storeDir, secret, publicUrl: 'http://127.0.0.1:1' }) };
  const deps = {
    ...resources,
    queue,
    log,
    version: '9.9.9',
    events,
    signingSecret: secret,
    publicUrl: 'http://127.0.0.1:1',
    protectedPlaces: await protectedPlaces({ storageDir: storeDir, installDir: process.cwd() }),
    signInThrottle: new SignInThrottle(resources.pool, {
      ...DEFAULT_SIGN_IN_LIMITS,
      ...options.signInLimits,
    }),
    get store() {
      return holder.store;
    },
  };
  const server = await createApiServer(deps, {
    corsOrigins: options.corsOrigins ?? '*',
    rateLimits: {
      ipPerMinute: 1_000_000,
      principalPerMinute: 1_000_000,
      wsConnectionsPerIp: 10_000,
      wsOperationsPerMinute: 1_000_000,
      ...options.rateLimits,
    },
  });
  const port = await server.listen(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${port}`;
  holder.store = new LocalBlobStore({ root: storeDir, secret, publicUrl: origin });
  deps.publicUrl = origin;
  const url = `${origin}/graphql`;

  async function graphql(text: string, variables?: Record<string, unknown>, token?: string) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: text, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphqlResult['body'] };
  }

  return {
    url,
    origin,
    database,
    resources,
    queue,
    get store() {
      return holder.store;
    },
    storeDir,
    events,
    server,
    queries,
    graphql,
    async signUp(email, invitation) {
      const { body } = await graphql(
        'mutation($email: String!, $password: String!, $invitation: String) { signUp(email: $email, password: $password, invitation: $invitation) { token } }',
        { email, password: PASSWORD, invitation },
      );
      if (!body.data?.signUp) throw new Error(`sign-up failed: ${JSON.stringify(body.errors)}`);
      return body.data.signUp.token as string;
    },
    async stop() {
      await server.stop();
      await events.stop();
      await queue.stop();
      await resources.pool.end();
      await database.drop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
