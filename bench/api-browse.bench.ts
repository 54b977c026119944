/**
 * The roll-browse query — a roll's first 100 clips with their metadata and signed thumbnail links,
 * asked for with a vendor's API key — against what a user would build instead (issue 22, "honest
 * baselines"), then subscription fan-out against a bare graphql-ws server.
 *
 * Roll browse over HTTP, 50 connections (autocannon in its own process) for BENCH_API_SECONDS
 * (default 10) per run, BENCH_API_ROUNDS rounds (default 3). Each round runs both subjects, one
 * after the other, alternating which goes first, so a busy moment of the machine hits both:
 * - baseline: Apollo Server 5 with its defaults on Express 5, hand-written SDL, hand-written
 *   resolvers over `pg` (./api-baseline/server.ts) — same auth, rows and signed links;
 * - rushes: the api as shipped (createApiServer: graphql-jit, cost and shape limits, rate limits
 *   counted, metrics), request logging on at its default level (info) into /dev/null.
 * Both run in this process, idle while the other is loaded; before the rounds one response of each
 * is compared (`data` deep-equal, download links compared without their expiry and signature) and
 * the bench throws if they differ; both are warmed with 300 requests. Each subject's rows give the
 * median of the rounds with their spread: req/s (autocannon's mean of its per-second counts), p99
 * latency (autocannon's), CPU per request (this process's process.cpuUsage() from the start of
 * the run until the requests still in flight when autocannon stops are done, ÷ the requests the
 * server received; PostgreSQL's and autocannon's CPU are not counted) and the peak RSS of the
 * process during the run (sampled every 100 ms; the highest round). That RSS is the whole
 * process — both servers, their pools, the harness — so it overstates either server alone; the
 * row "RSS at rest" shows how much is there before any load. The rushes rows carry their ratio to
 * the baseline's median.
 * Floor: the same query executed in process on the rushes schema (parse once, no HTTP), 3 s.
 *
 * Fan-out: 1,000 graphql-ws clients (in this process) subscribe to productionActivity, then 20
 * events are sent with NOTIFY one after another; latency is from the NOTIFY to each client's
 * receipt, and connecting is the time until all 1,000 sockets are acknowledged (auth included).
 * Rushes' api against a bare graphql-ws server on the same LISTEN (./api-baseline/fanout.ts),
 * alternating for BENCH_API_ROUNDS rounds after an uncounted round of 100 clients on each;
 * medians of the rounds' p50, p99 and connect times.
 *
 * Goals (issue 22): roll browse ≥ 2× the hand-written baseline's req/s, p99 < 50 ms at 50
 * connections, RSS under load < 300 MB; fan-out p99 < 100 ms, 1,000 clients connected < 1 s.
 * A missed goal is flagged MISSED in its row.
 */
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, promisify } from 'node:util';
import { EVENTS_CHANNEL } from '@rushes/schema/events';
import { type LocalBlobStore } from '@rushes/storage';
import { execute, parse } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { pino } from 'pino';
import WebSocket from 'ws';
// The built api: Node's type stripping does not run type-graphql's decorators.
import { createContext } from '@rushes/api/context';
import { type createDatabase } from '@rushes/api/db';
import { createApiServer } from '@rushes/api/server';
import { apiKeyPrefix } from '@rushes/api/sessions';
import { hashSecret, newSecret } from '@rushes/schema/credentials';
import { apiKeys, productions } from '@rushes/schema/tables';
import { seedRoll } from '../apps/api/test/support/seed.ts';
import { startFanoutBaseline } from './api-baseline/fanout.ts';
import { startBaseline } from './api-baseline/server.ts';
import { openApiDeps, UNREFUSED_RATE_LIMITS } from './api-deps.ts';
import { median, percentile, spread, type Benchmark, type Row } from './harness.ts';

const run = promisify(execFile);
const autocannon = fileURLToPath(new URL('../node_modules/.bin/autocannon', import.meta.url));
const CONNECTIONS = 50;
const SECONDS = Number(process.env['BENCH_API_SECONDS'] ?? 10);
const ROUNDS = Number(process.env['BENCH_API_ROUNDS'] ?? 3);
const CLIENTS = 1000;
const EVENTS = 20;

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

const ACTIVITY = 'subscription($p: ID!) { productionActivity(productionId: $p) { progress } }';

interface Load {
  /** autocannon's mean of its per-second samples. */
  requestsPerSecond: number;
  /** Responses received in the run. */
  requests: number;
  p99: number;
  errors: number;
}

/** One load run of one subject, with what it cost this process. */
interface Measured extends Load {
  cpuMsPerRequest: number;
  peakRssMb: number;
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
    requests: { average: number; total: number };
    latency: { p99: number };
    errors: number;
    non2xx: number;
  };
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** Waits until this process is idle: under 2 ms of CPU in 50 ms, or 10 s at most. */
async function settle(): Promise<void> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const cpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const used = process.cpuUsage(cpu);
    if (used.user + used.system < 2000 || performance.now() > deadline) return;
  }
}

/**
 * A load run on `server` with this process's CPU time per request and its peak RSS, sampled every
 * 100 ms. Both servers live in this process, one idle while the other is loaded. CPU is counted
 * until the requests still in flight when autocannon stops are done, and divided by every request
 * the server received (autocannon's total leaves those out).
 */
async function measure(server: Server, url: string, token: string, body: string): Promise<Measured> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  let received = 0;
  const count = () => (received += 1);
  server.on('request', count);
  const cpu = process.cpuUsage();
  let result: Load;
  try {
    result = await load(url, token, body);
    await settle();
  } finally {
    server.off('request', count);
    clearInterval(sampler);
  }
  const used = process.cpuUsage(cpu);
  return {
    ...result,
    cpuMsPerRequest: (used.user + used.system) / 1000 / Math.max(received, 1),
    peakRssMb: peak / 1e6,
  };
}

/** One POST of the query, as its JSON response. */
async function post(url: string, token: string, body: string): Promise<{ data?: unknown; errors?: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { data?: unknown; errors?: unknown };
}

/** A few hundred requests, ten at a time, so neither subject is measured cold (graphql-jit compiles on first use). */
async function warm(url: string, token: string, body: string): Promise<void> {
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 30; i += 1) await post(url, token, body);
    }),
  );
}

/** The value with every signed link's `expires` and `signature` left out (they differ by the second). */
function unsigned(value: unknown): unknown {
  if (typeof value === 'string' && value.includes('signature=')) {
    const url = new URL(value);
    url.searchParams.delete('expires');
    url.searchParams.delete('signature');
    return url.toString();
  }
  if (Array.isArray(value)) return value.map(unsigned);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unsigned(v)]));
  return value;
}

/** Where two JSON values first differ, as a path (for the error when the subjects disagree). */
function firstDifference(a: unknown, b: unknown, at = 'data'): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${at}.${key}`,
      );
      if (found) return found;
    }
  }
  return `${at}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
}

/** Throws unless both subjects answer the query with the same data (a full page, thumbnails signed). */
async function assertSameAnswers(ours: string, theirs: string, token: string, body: string, count: number) {
  const [a, b] = await Promise.all([post(ours, token, body), post(theirs, token, body)]);
  if (a.errors || b.errors)
    throw new Error(`errors: rushes ${JSON.stringify(a.errors)}, baseline ${JSON.stringify(b.errors)}`);
  const page = (a.data as { node?: { clips?: { nodes?: { thumbnail?: { downloadUrl?: string } }[] } } })?.node
    ?.clips?.nodes;
  if (page?.length !== count || !page.every((clip) => clip.thumbnail?.downloadUrl))
    throw new Error(`rushes did not answer ${count} clips with thumbnail links: ${JSON.stringify(a.data)}`);
  const difference = firstDifference(unsigned(a.data), unsigned(b.data));
  if (difference) throw new Error(`rushes and the baseline answer differently at ${difference}`);
}

/** Waits until `done()`, checking every 5 ms; throws after `timeoutMs`. */
async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface FanoutRun {
  /** From creating the clients to the last connection acknowledged. */
  connectMs: number;
  /** NOTIFY → receipt, every client and event. */
  latencies: number[];
}

/**
 * `clients` clients connect to `server` and subscribe; `events` events are sent one after another,
 * each once every client received the one before. Ends with every client disposed and the server's
 * subscriptions gone.
 */
async function fanout(
  server: { url: string; subscriberCount(): number },
  { clients: size, events }: { clients: number; events: number },
  token: string,
  productionId: string,
  notify: (i: number) => Promise<unknown>,
): Promise<FanoutRun> {
  const before = server.subscriberCount();
  const failures: unknown[] = [];
  let connected = 0;
  let connectedAt = 0;
  const started = performance.now();
  const clients: Client[] = Array.from({ length: size }, () =>
    createClient({
      url: server.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      retryAttempts: 0,
      on: {
        connected: () => {
          connected += 1;
          if (connected === size) connectedAt = performance.now();
        },
        error: (error) => failures.push(error),
      },
    }),
  );
  try {
    await until(
      () => connected === size || failures.length > 0,
      60_000,
      `${size} connections to ${server.url}`,
    );
    if (failures.length) throw new Error(`connecting failed: ${String(failures[0])}`);
    const connectMs = connectedAt - started;

    const latencies: number[] = [];
    let sentAt = 0;
    for (const client of clients) {
      client.subscribe(
        { query: ACTIVITY, variables: { p: productionId } },
        {
          next: () => latencies.push(performance.now() - sentAt),
          error: (error) => failures.push(error),
          complete: () => {},
        },
      );
    }
    await until(
      () => failures.length > 0 || server.subscriberCount() >= before + size,
      30_000,
      'the subscriptions',
    );
    for (let i = 0; i < events; i += 1) {
      const received = latencies.length;
      sentAt = performance.now();
      await notify(i);
      await until(
        () => failures.length > 0 || latencies.length >= received + size,
        30_000,
        `event ${i} at every client`,
      );
      if (failures.length) throw new Error(`a subscription failed: ${JSON.stringify(failures[0])}`);
    }
    return { connectMs, latencies };
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    // The next round starts with none of these subscriptions left on the server.
    await until(() => server.subscriberCount() <= before, 30_000, 'the subscriptions to end');
  }
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

/** `; goal ≥ 2×` when met, `; goal ≥ 2×: MISSED` when not. */
const goal = (text: string, met: boolean) => `; goal ${text}${met ? '' : ': MISSED'}`;

const benchmark: Benchmark = async (context) => {
  const url = await context.createDatabase();
  // As shipped (main.ts): pino at info, synchronous writes — here into /dev/null.
  const log = pino({ name: 'api', level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));
  const { deps, close } = await openApiDeps(url, log, 'rushes-bench-api-');
  const resources = deps;
  const clipCount = 100;
  const seeded = await seedProduction(deps, clipCount);
  const body = JSON.stringify({ query: BROWSE, variables: { roll: seeded.rollId } });

  // Ours. One client sends every request: rate limits high enough never to refuse it (they are
  // still counted, as in production).
  const api = await createApiServer(deps, {
    corsOrigins: '*',
    rateLimits: UNREFUSED_RATE_LIMITS,
  });
  const apiUrl = `http://127.0.0.1:${await api.listen(0, '127.0.0.1')}/graphql`;
  // Theirs: the same store signs its links.
  const baseline = await startBaseline(url, deps.store);
  const fanoutBaseline = await startFanoutBaseline(url);

  try {
    await assertSameAnswers(apiUrl, baseline.url, seeded.token, body, clipCount);

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

    // Over HTTP, alternating: each round both subjects, the other one first next round.
    await warm(baseline.url, seeded.token, body);
    await warm(apiUrl, seeded.token, body);
    const restingRssMb = process.memoryUsage.rss() / 1e6;
    const theirs: Measured[] = [];
    const ours: Measured[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const subjects = [
        async () => theirs.push(await measure(baseline.httpServer, baseline.url, seeded.token, body)),
        async () => ours.push(await measure(api.httpServer, apiUrl, seeded.token, body)),
      ];
      if (round % 2 === 1) subjects.reverse();
      for (const subject of subjects) await subject();
    }
    const errors = (runs: Measured[]) => runs.reduce((sum, r) => sum + r.errors, 0);
    if (errors(ours) || errors(theirs))
      throw new Error(`errors under load: rushes ${errors(ours)}, baseline ${errors(theirs)}`);

    // Fan-out, alternating the same way, after a small round on each (not counted) so that neither
    // is first to run the WebSocket code cold.
    const notify = (i: number) =>
      resources.pool.query('select pg_notify($1, $2)', [
        EVENTS_CHANNEL,
        JSON.stringify(seeded.event((i % EVENTS) / EVENTS)),
      ]);
    const rushesHub = {
      url: apiUrl.replace(/^http/, 'ws'),
      subscriberCount: () => deps.events.subscriberCount,
    };
    const fanoutOf = (server: typeof rushesHub, clients: number, sent: number) =>
      fanout(server, { clients, events: sent }, seeded.token, seeded.productionId, notify);
    await fanoutOf(fanoutBaseline, CLIENTS / 10, 2);
    await fanoutOf(rushesHub, CLIENTS / 10, 2);
    const fanTheirs: FanoutRun[] = [];
    const fanOurs: FanoutRun[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const subjects = [
        async () => fanTheirs.push(await fanoutOf(fanoutBaseline, CLIENTS, EVENTS)),
        async () => fanOurs.push(await fanoutOf(rushesHub, CLIENTS, EVENTS)),
      ];
      if (round % 2 === 1) subjects.reverse();
      for (const subject of subjects) await subject();
    }

    // Rows: medians of the rounds with their spread; RSS is the highest peak of the rounds.
    const b = `roll browse, 100 clips, ${CONNECTIONS} conn, ${SECONDS} s × ${ROUNDS} rounds`;
    const of = (runs: Measured[], pick: (r: Measured) => number) => runs.map(pick);
    const rps = (r: Measured) => r.requestsPerSecond;
    const p99 = (r: Measured) => r.p99;
    const cpu = (r: Measured) => r.cpuMsPerRequest;
    const rss = (r: Measured) => r.peakRssMb;
    const m = (runs: Measured[], pick: (r: Measured) => number) => median(of(runs, pick));
    const peak = (runs: Measured[]) => Math.max(...of(runs, rss));
    const ratio = m(ours, rps) / m(theirs, rps);

    const f = 'subscription fan-out, 1,000 clients';
    const fan = (runs: FanoutRun[], pick: (r: FanoutRun) => number) => runs.map(pick);
    const p50s = (r: FanoutRun) => percentile(r.latencies, 0.5);
    const p99s = (r: FanoutRun) => percentile(r.latencies, 0.99);
    const connects = (r: FanoutRun) => r.connectMs;
    const fm = (runs: FanoutRun[], pick: (r: FanoutRun) => number) => median(fan(runs, pick));
    const baselineName = 'baseline (Apollo Server 5 + hand-written SDL + pg)';

    return [
      { benchmark: b, subject: 'in-process execute (no HTTP)', value: inProcessRate, unit: 'req/s' },
      { benchmark: b, subject: 'in-process execute, p99', value: percentile(times, 0.99), unit: 'ms' },
      {
        benchmark: b,
        subject: `${baselineName} (${spread(of(theirs, rps), 0)})`,
        value: m(theirs, rps),
        unit: 'req/s',
      },
      {
        benchmark: b,
        subject: `baseline, p99 (${spread(of(theirs, p99), 0)})`,
        value: m(theirs, p99),
        unit: 'ms',
      },
      {
        benchmark: b,
        subject: `baseline, CPU per request (${spread(of(theirs, cpu))})`,
        value: m(theirs, cpu),
        unit: 'ms',
      },
      {
        benchmark: b,
        subject: `baseline, peak RSS of the process (${spread(of(theirs, rss), 0)})`,
        value: peak(theirs),
        unit: 'MB',
      },
      {
        benchmark: b,
        subject: `rushes api, logging at info (${spread(of(ours, rps), 0)}${goal('≥ 2×', ratio >= 2)})`,
        value: m(ours, rps),
        unit: 'req/s',
        ratio,
      },
      {
        benchmark: b,
        subject: `rushes api, p99 (${spread(of(ours, p99), 0)}${goal('< 50 ms', m(ours, p99) < 50)})`,
        value: m(ours, p99),
        unit: 'ms',
        ratio: m(ours, p99) / m(theirs, p99),
      },
      {
        benchmark: b,
        subject: `rushes api, CPU per request (${spread(of(ours, cpu))})`,
        value: m(ours, cpu),
        unit: 'ms',
        ratio: m(ours, cpu) / m(theirs, cpu),
      },
      {
        benchmark: b,
        subject: `rushes api, peak RSS of the process (${spread(of(ours, rss), 0)}${goal('< 300 MB', peak(ours) < 300)})`,
        value: peak(ours),
        unit: 'MB',
        ratio: peak(ours) / peak(theirs),
      },
      {
        benchmark: b,
        subject: 'RSS at rest (both servers warmed, before the rounds)',
        value: restingRssMb,
        unit: 'MB',
      },
      {
        benchmark: f,
        subject: `baseline (bare graphql-ws), NOTIFY → receipt, p50 (${spread(fan(fanTheirs, p50s), 1)})`,
        value: fm(fanTheirs, p50s),
        unit: 'ms',
      },
      {
        benchmark: f,
        subject: `baseline, NOTIFY → receipt, p99 (${spread(fan(fanTheirs, p99s), 1)})`,
        value: fm(fanTheirs, p99s),
        unit: 'ms',
      },
      {
        benchmark: f,
        subject: `baseline, connect 1,000 clients (${spread(fan(fanTheirs, connects), 0)})`,
        value: fm(fanTheirs, connects),
        unit: 'ms',
      },
      {
        benchmark: f,
        subject: `rushes api, NOTIFY → receipt, p50 (${spread(fan(fanOurs, p50s), 1)})`,
        value: fm(fanOurs, p50s),
        unit: 'ms',
        ratio: fm(fanOurs, p50s) / fm(fanTheirs, p50s),
      },
      {
        benchmark: f,
        subject: `rushes api, NOTIFY → receipt, p99 (${spread(fan(fanOurs, p99s), 1)}${goal('< 100 ms', fm(fanOurs, p99s) < 100)})`,
        value: fm(fanOurs, p99s),
        unit: 'ms',
        ratio: fm(fanOurs, p99s) / fm(fanTheirs, p99s),
      },
      {
        benchmark: f,
        subject: `rushes api, connect 1,000 clients (${spread(fan(fanOurs, connects), 0)}${goal('< 1 s', fm(fanOurs, connects) < 1000)})`,
        value: fm(fanOurs, connects),
        unit: 'ms',
        ratio: fm(fanOurs, connects) / fm(fanTheirs, connects),
      },
    ] satisfies Row[];
  } finally {
    await fanoutBaseline.stop();
    await baseline.stop();
    await api.stop();
    await close();
  }
};

export default benchmark;
