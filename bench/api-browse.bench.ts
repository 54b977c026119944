/**
 * The roll-browse query — 100 clips with metadata, thumbnail URLs, renditions and tasks — as a
 * vendor's API key asks for it: through the rushes api over HTTP at 50 connections (autocannon in
 * its own process), against the same schema and resolvers behind a default Apollo Server 5 in
 * the same run, and the same query executed in-process (no HTTP) as the floor. Then subscription
 * fan-out: 1,000 graphql-ws clients on productionActivity, latency from NOTIFY to receipt.
 * Goals (issue #6): ≥ 2× the default Apollo's throughput, p99 < 50 ms; fan-out p99 < 100 ms.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { EVENTS_CHANNEL } from '@rushes/schema/events';
import { LocalBlobStore } from '@rushes/storage';
import express from 'express';
import { execute, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
// The built api: Node's type stripping does not run type-graphql's decorators.
import { createContext } from '@rushes/api/context';
import { createDatabase } from '@rushes/api/db';
import { EventHub } from '@rushes/api/events';
import { startQueue } from '@rushes/api/queue';
import { createApiServer } from '@rushes/api/server';
import { apiKeyPrefix } from '@rushes/api/sessions';
import { DEFAULT_SIGN_IN_LIMITS, SignInThrottle } from '@rushes/api/sign-in-throttle';
import { hashSecret, newSecret } from '@rushes/schema/credentials';
import { apiKeys, productions } from '@rushes/schema/tables';
import { seedRoll } from '../apps/api/test/support/seed.ts';
import type { Benchmark, Row } from './harness.ts';

const run = promisify(execFile);
const autocannon = fileURLToPath(new URL('../node_modules/.bin/autocannon', import.meta.url));
const CONNECTIONS = 50;
const SECONDS = Number(process.env['BENCH_API_SECONDS'] ?? 10);

const BROWSE = `query Browse($roll: ID!) {
  node(id: $roll) {
    ... on Roll {
      name
      clips(first: 100) {
        totalCount
        nodes {
          id fileName reel startTimecode endTimecode state durationFrames width height codec
          frameRate { num den fps }
          metadata {
            camera { make { value source } model { value } serial { value } }
            lens { model { value } focalLengthMm { value } }
            exposure { exposureIndex { value } shutterAngleDeg { value } }
            color { acesInputTransform { value } }
          }
          thumbnail: rendition(name: "thumbnail") { downloadUrl width height }
        }
      }
    }
  }
}`;

interface Load {
  requests: number;
  p99: number;
  errors: number;
}

/** autocannon in its own process, so the load generator does not share the server's event loop. */
async function load(url: string, token: string, body: string): Promise<Load> {
  const { stdout } = await run(
    process.execPath,
    [
      autocannon,
      ...['-c', String(CONNECTIONS), '-d', String(SECONDS), '-m', 'POST', '-j'],
      ...['-H', 'content-type=application/json', '-H', `authorization=Bearer ${token}`, '-b', body],
      url,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p99: number };
    errors: number;
    non2xx: number;
  };
  return {
    requests: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');

/** A production with one roll of `count` clips and a vendor API key for it. */
async function seedProduction(
  deps: { db: ReturnType<typeof createDatabase>['db']; store: LocalBlobStore },
  count: number,
) {
  const [production] = await deps.db
    .insert(productions)
    .values({ name: 'Bench', code: 'BENCH', state: 'ready' })
    .returning();
  const { roll, clips } = await seedRoll(
    deps.db,
    deps.store,
    production!.id,
    'A001',
    Array.from({ length: count }, (_, i) => ({
      fileName: `A001C${String(i + 1).padStart(3, '0')}_261120_R1AB.mov`,
      reel: 'A001',
      startTimecode: '10:00:00:00',
      startFrame: 864_000 + i * 240,
      durationFrames: 240,
      camera: { make: 'ARRI', model: 'ALEXA 35', serial: '1234' },
    })),
  );
  const token = newSecret('rs_key');
  await deps.db.insert(apiKeys).values({
    name: 'bench vendor',
    prefix: apiKeyPrefix(token),
    secretHash: hashSecret(token),
    role: 'vendor',
    productionIds: [production!.id],
  });
  return {
    token,
    productionId: globalId('Production', production!.id),
    rollId: globalId('Roll', roll.id),
    event: (progress: number) => ({
      type: 'task.updated',
      productionId: production!.id,
      rollId: roll.id,
      clipId: clips[0]!.id,
      taskId: clips[0]!.id,
      kind: 'review',
      state: 'running',
      progress,
    }),
  };
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? 0;

const benchmark: Benchmark = async (context) => {
  const url = await context.createDatabase();
  const fail = (error: Error) => {
    throw error;
  };
  const resources = createDatabase(url, fail);
  const log = pino({ level: 'silent' });
  const queue = await startQueue(resources.pool, fail);
  const events = new EventHub(url, log);
  await events.start();
  const storeDir = await mkdtemp(path.join(tmpdir(), 'rushes-bench-api-'));
  const secret = 'b'.repeat(32);
  const store = new LocalBlobStore({ root: storeDir, secret, publicUrl: 'http://127.0.0.1:4000' });
  const deps = {
    ...resources,
    queue,
    log,
    version: 'bench',
    store,
    events,
    signingSecret: secret,
    publicUrl: 'http://127.0.0.1:4000',
    // Browsing never imports or signs in: nothing protected to list, the default limits.
    protectedPlaces: [],
    signInThrottle: new SignInThrottle(resources.pool, DEFAULT_SIGN_IN_LIMITS),
  };
  const seeded = await seedProduction(deps, 100);
  const body = JSON.stringify({ query: BROWSE, variables: { roll: seeded.rollId } });

  // Ours. One client sends every request: rate limits high enough never to refuse it (they are
  // still counted, as in production).
  const api = await createApiServer(deps, {
    corsOrigins: '*',
    rateLimits: {
      ipPerMinute: 1e9,
      principalPerMinute: 1e9,
      wsConnectionsPerIp: 1e6,
      wsOperationsPerMinute: 1e9,
    },
  });
  const apiPort = await api.listen(0, '127.0.0.1');

  // The same schema and resolvers behind a default Apollo Server 5 (no options changed).
  const apollo = new ApolloServer({ schema: api.schema });
  await apollo.start();
  const app = express();
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => createContext(deps, { authorization: req.headers.authorization }),
    }),
  );
  const apolloServer = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => apolloServer.once('listening', resolve));
  const apolloPort = (apolloServer.address() as { port: number }).port;

  // In process: parse once, execute with a fresh context per run (what a request costs without HTTP).
  const document = parse(BROWSE);
  const inProcess = async () => {
    const result = await execute({
      schema: api.schema,
      document,
      variableValues: { roll: seeded.rollId },
      contextValue: await createContext(deps, { authorization: `Bearer ${seeded.token}` }),
    });
    if (result.errors) throw new Error(result.errors[0]!.message);
  };
  for (let i = 0; i < 20; i += 1) await inProcess();
  const times: number[] = [];
  const started = performance.now();
  while (performance.now() - started < 3000) {
    const t = performance.now();
    await inProcess();
    times.push(performance.now() - t);
  }
  const inProcessRate = times.length / ((performance.now() - started) / 1000);

  const ours = await load(`http://127.0.0.1:${apiPort}/graphql`, seeded.token, body);
  const theirs = await load(`http://127.0.0.1:${apolloPort}/graphql`, seeded.token, body);

  // Fan-out: 1,000 subscribers; NOTIFY 20 events; latency from NOTIFY to each receipt.
  const clients = Array.from({ length: 1000 }, () =>
    createClient({
      url: `ws://127.0.0.1:${apiPort}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${seeded.token}` },
      lazy: false,
    }),
  );
  const latencies: number[] = [];
  let sentAt = 0;
  for (const client of clients) {
    client.subscribe(
      {
        query: 'subscription($p: ID!) { productionActivity(productionId: $p) { progress } }',
        variables: { p: seeded.productionId },
      },
      { next: () => latencies.push(performance.now() - sentAt), error: fail, complete: () => {} },
    );
  }
  while (events.subscriberCount < clients.length) await new Promise((r) => setTimeout(r, 50));
  const rounds = 20;
  for (let i = 0; i < rounds; i += 1) {
    const before = latencies.length;
    sentAt = performance.now();
    await resources.pool.query('select pg_notify($1, $2)', [
      EVENTS_CHANNEL,
      JSON.stringify(seeded.event(i / rounds)),
    ]);
    while (latencies.length < before + clients.length) await new Promise((r) => setImmediate(r));
  }
  await Promise.all(clients.map((c) => c.dispose()));

  apolloServer.close();
  await apollo.stop();
  await api.stop();
  await events.stop();
  await queue.stop();
  await resources.pool.end();
  await rm(storeDir, { recursive: true, force: true });

  const b = 'roll browse, 100 clips';
  if (ours.errors || theirs.errors)
    throw new Error(`errors under load: ours ${ours.errors}, Apollo ${theirs.errors}`);
  return [
    { benchmark: b, subject: 'in-process execute (no HTTP)', value: inProcessRate, unit: 'req/s' },
    { benchmark: b, subject: 'in-process execute, p99', value: percentile(times, 0.99), unit: 'ms' },
    {
      benchmark: b,
      subject: 'baseline: default Apollo Server 5, 50 conn',
      value: theirs.requests,
      unit: 'req/s',
    },
    { benchmark: b, subject: 'default Apollo, p99', value: theirs.p99, unit: 'ms' },
    {
      benchmark: b,
      subject: 'rushes api, 50 conn',
      value: ours.requests,
      unit: 'req/s',
      ratio: ours.requests / theirs.requests,
    },
    { benchmark: b, subject: 'rushes api, p99', value: ours.p99, unit: 'ms', ratio: ours.p99 / theirs.p99 },
    {
      benchmark: 'subscription fan-out, 1,000 clients',
      subject: 'NOTIFY → receipt, p50',
      value: percentile(latencies, 0.5),
      unit: 'ms',
    },
    {
      benchmark: 'subscription fan-out, 1,000 clients',
      subject: 'NOTIFY → receipt, p99',
      value: percentile(latencies, 0.99),
      unit: 'ms',
    },
  ] satisfies Row[];
};

export default benchmark;
