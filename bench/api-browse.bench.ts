/**
 * The roll-browse query — a roll's first 100 clips with their metadata and signed thumbnail links,
 * asked for with a vendor's API key — against what a user would build instead (issue 22, "honest
 * baselines"), then subscription fan-out against a bare graphql-ws server.
 *
 * Roll browse over HTTP, 50 connections (autocannon in its own process) for BENCH_API_SECONDS
 * (default 10) per run, BENCH_API_ROUNDS rounds (default 3). Each subject runs in a process of
 * its own (api-subject.ts), so CPU time and memory are each its own; each round runs every
 * subject in turn, the order rotated each round, so a busy moment of the machine hits all:
 * - baseline: Apollo Server 5 with its defaults on Express 5, hand-written SDL, hand-written
 *   resolvers over `pg` (./api-baseline/server.ts) — same auth, rows and signed links;
 * - rushes: the api as shipped (createApiServer: read cache, graphql-jit, cost and shape limits,
 *   rate limits counted, metrics), request logging on at its default level (info) into /dev/null;
 * - rushes with the read cache off (API_RESPONSE_CACHE_MB=0): what every request costs when it
 *   is not a repeat (a first visit, or a roll that changes between requests).
 * Before the rounds one response of each is compared (`data` deep-equal, download links compared
 * without their expiry and signature) and the bench throws if they differ; each is warmed with
 * 300 requests. Rows: the median of the rounds with their spread: req/s (autocannon's mean of its
 * per-second counts), p99 latency (autocannon's), CPU per request (the subject process's CPU from
 * the start of the run until the requests still in flight when autocannon stops are done, ÷ the
 * requests it received; PostgreSQL's and autocannon's CPU are not counted) and the peak RSS of
 * the subject's process during the run (Linux's VmHWM, reset before each run; the highest round).
 *
 * Fan-out: 1,000 graphql-ws clients (in this process) subscribe to productionActivity, then 20
 * events are sent with NOTIFY one after another, while browse traffic (100 req/s) runs against the
 * rushes api, or against the hand-written baseline beside the bare server; latency is from the NOTIFY to each client's
 * receipt, and connecting is the time until all 1,000 sockets are acknowledged (auth included).
 * Rushes' api against a bare graphql-ws server on the same LISTEN (./api-baseline/fanout.ts),
 * alternating for BENCH_API_ROUNDS rounds after an uncounted round of 100 clients on each;
 * medians of the rounds' p50, p99 and connect times.
 *
 * Goals (issue 22): roll browse ≥ 2× the hand-written baseline's req/s, p99 < 50 ms at 50
 * connections, RSS under load < 300 MB; fan-out p99 < 100 ms, 1,000 clients connected < 1 s.
 * A missed goal is flagged MISSED in its row.
 */
import { execFile, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, promisify } from 'node:util';
import { EVENTS_CHANNEL } from '@rushes/schema/events';
import { type LocalBlobStore } from '@rushes/storage';
import { createClient, type Client } from 'graphql-ws';
import { pino } from 'pino';
import WebSocket from 'ws';
// The built api: Node's type stripping does not run type-graphql's decorators.
import { type createDatabase } from '@rushes/api/db';
import { apiKeyPrefix } from '@rushes/api/sessions';
import { hashSecret, newSecret } from '@rushes/schema/credentials';
import { apiKeys, productions } from '@rushes/schema/tables';
import { seedRoll } from '../apps/api/test/support/seed.ts';
import { API_NODE_FLAGS } from '../scripts/node-flags.ts';
import { openApiDeps } from './api-deps.ts';
import type { SubjectKind, SubjectStats } from './api-subject.ts';
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

/** One load run of one subject, with what it cost that subject's process. */
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

/** A subject's process (api-subject.ts), and its answers over IPC. */
interface Subject {
  url: string;
  wsUrl: string;
  call(type: 'reset' | 'stop'): Promise<unknown>;
  stats(): Promise<SubjectStats>;
}

async function startSubject(kind: SubjectKind, databaseUrl: string, storeDir: string): Promise<Subject> {
  const child = fork(fileURLToPath(new URL('./api-subject.ts', import.meta.url)), [kind], {
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl, BENCH_STORE_DIR: storeDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // The rushes api runs with the V8 flags it is shipped with (API_NODE_FLAGS).
    execArgv: kind.startsWith('rushes') ? [...API_NODE_FLAGS] : [],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  const ready = new Promise<{ url: string; wsUrl: string }>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the ${kind} subject exited with ${code} before it was ready`)),
    );
    child.on(
      'message',
      (message: {
        ready?: boolean;
        url: string;
        wsUrl: string;
        id?: number;
        value?: unknown;
        error?: string;
      }) => {
        if (message.ready) resolve(message);
        const waiting = message.id === undefined ? undefined : pending.get(message.id);
        if (!waiting) return;
        pending.delete(message.id!);
        if (message.error) waiting.reject(new Error(message.error));
        else waiting.resolve(message.value);
      },
    );
  });
  const { url, wsUrl } = await ready;
  const call = (type: string) =>
    new Promise<unknown>((resolve, reject) => {
      const id = (next += 1);
      pending.set(id, { resolve, reject });
      child.send({ id, type });
    });
  return { url, wsUrl, call, stats: () => call('stats') as Promise<SubjectStats> };
}

/** Waits until `subject` is idle: under 2 ms of CPU in 50 ms, or 10 s at most. */
async function settle(subject: Subject): Promise<void> {
  const deadline = performance.now() + 10_000;
  let before = (await subject.stats()).cpuMs;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = (await subject.stats()).cpuMs;
    if (now - before < 2 || performance.now() > deadline) return;
    before = now;
  }
}

/**
 * A load run on `subject`, with its process's CPU time per request and its peak RSS during the
 * run. CPU is counted until the requests still in flight when autocannon stops are done, and
 * divided by every request the subject received (autocannon's total leaves those out).
 */
async function measure(subject: Subject, token: string, body: string): Promise<Measured> {
  await settle(subject);
  await subject.call('reset');
  const result = await load(subject.url, token, body);
  await settle(subject);
  const stats = await subject.stats();
  return {
    ...result,
    cpuMsPerRequest: stats.cpuMs / Math.max(stats.requests, 1),
    peakRssMb: stats.peakRssMb,
  };
}

/** autocannon sending `rate` requests a second on 10 connections until stopped: browse traffic beside fan-out. */
function backgroundLoad(url: string, token: string, body: string, rate: number): () => Promise<void> {
  const child = spawn(
    process.execPath,
    [
      autocannon,
      ...['-c', '10', '-R', String(rate), '-d', '3600', '-m', 'POST'],
      ...['-H', 'content-type=application/json', '-H', `authorization=Bearer ${token}`, '-b', body],
      url,
    ],
    { stdio: 'ignore' },
  );
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
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
async function until(done: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await done())) {
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
  server: { url: string; subscriberCount(): number | Promise<number> },
  { clients: size, events }: { clients: number; events: number },
  token: string,
  productionId: string,
  notify: (i: number) => Promise<unknown>,
): Promise<FanoutRun> {
  const before = await server.subscriberCount();
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
      async () => failures.length > 0 || (await server.subscriberCount()) >= before + size,
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
    await until(async () => (await server.subscriberCount()) <= before, 30_000, 'the subscriptions to end');
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
  // Seeding only: the subjects run in processes of their own, on the same store folder.
  const { deps, storeDir, close } = await openApiDeps(url, pino({ level: 'silent' }), {
    folderPrefix: 'rushes-bench-api-',
  });
  const resources = deps;
  const clipCount = 100;
  const seeded = await seedProduction(deps, clipCount);
  const body = JSON.stringify({ query: BROWSE, variables: { roll: seeded.rollId } });

  const subjects = await Promise.all(
    (['rushes', 'rushes-uncached', 'baseline', 'fanout-baseline'] as const).map((kind) =>
      startSubject(kind, url, storeDir),
    ),
  );
  const [api, uncached, baseline, fanoutBaseline] = subjects as [Subject, Subject, Subject, Subject];

  try {
    await assertSameAnswers(api.url, baseline.url, seeded.token, body, clipCount);
    await assertSameAnswers(uncached.url, baseline.url, seeded.token, body, clipCount);

    // Over HTTP, alternating: each round every subject, in turn, the order rotated each round.
    for (const subject of [baseline, api, uncached]) await warm(subject.url, seeded.token, body);
    const restingRssMb = (await api.stats()).rssMb;
    const theirs: Measured[] = [];
    const ours: Measured[] = [];
    const oursUncached: Measured[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const runs = [
        async () => theirs.push(await measure(baseline, seeded.token, body)),
        async () => ours.push(await measure(api, seeded.token, body)),
        async () => oursUncached.push(await measure(uncached, seeded.token, body)),
      ];
      for (let i = 0; i < runs.length; i += 1) await runs[(i + round) % runs.length]!();
    }
    const errors = (runs: Measured[]) => runs.reduce((sum, r) => sum + r.errors, 0);
    if (errors(ours) || errors(theirs) || errors(oursUncached))
      throw new Error(
        `errors under load: rushes ${errors(ours)}, uncached ${errors(oursUncached)}, baseline ${errors(theirs)}`,
      );

    // Fan-out, alternating the same way, after a small round on each (not counted) so that neither
    // is first to run the WebSocket code cold. Each while browse traffic runs (100 req/s on 10
    // connections) — against the rushes api itself, and against the hand-written baseline
    // beside the bare graphql-ws server.
    const notify = (i: number) =>
      resources.pool.query('select pg_notify($1, $2)', [
        EVENTS_CHANNEL,
        JSON.stringify(seeded.event((i % EVENTS) / EVENTS)),
      ]);
    const rushesHub = {
      url: api.wsUrl,
      subscriberCount: async () => (await api.stats()).subscribers,
      browse: api.url,
    };
    const bareHub = {
      url: fanoutBaseline.wsUrl,
      subscriberCount: async () => (await fanoutBaseline.stats()).subscribers,
      browse: baseline.url,
    };
    const fanoutOf = async (server: typeof rushesHub, clients: number, sent: number) => {
      const stop = backgroundLoad(server.browse, seeded.token, body, 100);
      try {
        return await fanout(server, { clients, events: sent }, seeded.token, seeded.productionId, notify);
      } finally {
        await stop();
      }
    };
    await fanoutOf(bareHub, CLIENTS / 10, 2);
    await fanoutOf(rushesHub, CLIENTS / 10, 2);
    const fanTheirs: FanoutRun[] = [];
    const fanOurs: FanoutRun[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const runs = [
        async () => fanTheirs.push(await fanoutOf(bareHub, CLIENTS, EVENTS)),
        async () => fanOurs.push(await fanoutOf(rushesHub, CLIENTS, EVENTS)),
      ];
      if (round % 2 === 1) runs.reverse();
      for (const run of runs) await run();
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

    const f = 'subscription fan-out, 1,000 clients, browse traffic at 100 req/s beside it';
    const fan = (runs: FanoutRun[], pick: (r: FanoutRun) => number) => runs.map(pick);
    const p50s = (r: FanoutRun) => percentile(r.latencies, 0.5);
    const p99s = (r: FanoutRun) => percentile(r.latencies, 0.99);
    const connects = (r: FanoutRun) => r.connectMs;
    const fm = (runs: FanoutRun[], pick: (r: FanoutRun) => number) => median(fan(runs, pick));
    const baselineName = 'baseline (Apollo Server 5 + hand-written SDL + pg)';

    return [
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
        subject: `baseline, peak RSS of its process (${spread(of(theirs, rss), 0)})`,
        value: peak(theirs),
        unit: 'MB',
      },
      {
        benchmark: b,
        subject: `rushes api as shipped, logging at info (${spread(of(ours, rps), 0)}${goal('≥ 2×', ratio >= 2)})`,
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
        subject: `rushes api, peak RSS of its process (${spread(of(ours, rss), 0)}${goal('< 300 MB', peak(ours) < 300)})`,
        value: peak(ours),
        unit: 'MB',
        ratio: peak(ours) / peak(theirs),
      },
      {
        benchmark: b,
        subject: 'rushes api, RSS at rest (warmed, before the rounds)',
        value: restingRssMb,
        unit: 'MB',
      },
      {
        benchmark: b,
        subject: `rushes api, read cache off (API_RESPONSE_CACHE_MB=0) (${spread(of(oursUncached, rps), 0)})`,
        value: m(oursUncached, rps),
        unit: 'req/s',
        ratio: m(oursUncached, rps) / m(theirs, rps),
      },
      {
        benchmark: b,
        subject: `read cache off, p99 (${spread(of(oursUncached, p99), 0)})`,
        value: m(oursUncached, p99),
        unit: 'ms',
        ratio: m(oursUncached, p99) / m(theirs, p99),
      },
      {
        benchmark: b,
        subject: `read cache off, CPU per request (${spread(of(oursUncached, cpu))})`,
        value: m(oursUncached, cpu),
        unit: 'ms',
        ratio: m(oursUncached, cpu) / m(theirs, cpu),
      },
      {
        benchmark: b,
        subject: `read cache off, peak RSS of its process (${spread(of(oursUncached, rss), 0)})`,
        value: peak(oursUncached),
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
    await Promise.all(subjects.map((subject) => subject.call('stop')));
    await close();
  }
};

export default benchmark;
