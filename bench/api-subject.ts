/**
 * One subject of the api benchmark in a process of its own (api-browse.bench.ts starts it with
 * `fork`), so that its CPU time and memory are its own:
 * `node bench/api-subject.ts rushes|rushes-uncached|baseline|fanout-baseline`, with BENCH_DATABASE_URL
 * and BENCH_STORE_DIR (the parent's local store: links are signed alike) in the environment.
 *
 * Over IPC it says `{ ready, url, wsUrl }` once listening, then answers each message with the same
 * `id`: `reset` (from now on: requests counted, CPU time, and the peak RSS — Linux's VmHWM, reset
 * through /proc/self/clear_refs), `stats` (`{ requests, cpuMs, rssMb, peakRssMb, subscribers }`)
 * and `stop` (closes, then exits).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { LocalBlobStore } from '@rushes/storage';
import { pino } from 'pino';
import { createApiServer } from '@rushes/api/server';
import { startFanoutBaseline } from './api-baseline/fanout.ts';
import { startBaseline } from './api-baseline/server.ts';
import { BENCH_PUBLIC_URL, BENCH_SIGNING_SECRET, openApiDeps, UNREFUSED_RATE_LIMITS } from './api-deps.ts';

export type SubjectKind = 'rushes' | 'rushes-uncached' | 'baseline' | 'fanout-baseline';

export interface SubjectStats {
  requests: number;
  cpuMs: number;
  rssMb: number;
  peakRssMb: number;
  subscribers: number;
}

interface Started {
  url: string;
  wsUrl: string;
  httpServer?: Server;
  subscribers(): number;
  stop(): Promise<void>;
}

const kind = process.argv[2] as SubjectKind;
const databaseUrl = process.env['BENCH_DATABASE_URL']!;
const storeDir = process.env['BENCH_STORE_DIR']!;

async function start(): Promise<Started> {
  if (kind === 'rushes' || kind === 'rushes-uncached') {
    // As shipped (main.ts): pino at info, synchronous writes — here into /dev/null.
    const log = pino({ name: 'api', level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));
    const { deps, close } = await openApiDeps(databaseUrl, log, { storeDir });
    const api = await createApiServer(deps, {
      corsOrigins: '*',
      // One client sends every request: limits high enough never to refuse it (still counted).
      rateLimits: UNREFUSED_RATE_LIMITS,
      ...(kind === 'rushes-uncached' ? { responseCacheBytes: 0 } : {}),
    });
    const port = await api.listen(0, '127.0.0.1');
    return {
      url: `http://127.0.0.1:${port}/graphql`,
      wsUrl: `ws://127.0.0.1:${port}/graphql`,
      httpServer: api.httpServer,
      subscribers: () => deps.events.subscriberCount,
      async stop() {
        await api.stop();
        await close();
      },
    };
  }
  if (kind === 'baseline') {
    const store = new LocalBlobStore({
      root: storeDir,
      secret: BENCH_SIGNING_SECRET,
      publicUrl: BENCH_PUBLIC_URL,
    });
    const baseline = await startBaseline(databaseUrl, store);
    return { ...baseline, wsUrl: '', subscribers: () => 0 };
  }
  if (kind === 'fanout-baseline') {
    const fanout = await startFanoutBaseline(databaseUrl);
    return {
      url: '',
      wsUrl: fanout.url,
      subscribers: () => fanout.subscriberCount(),
      stop: () => fanout.stop(),
    };
  }
  throw new Error(`unknown subject ${String(kind)}`);
}

async function peakRssMb(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
}

const subject = await start();
let requests = 0;
subject.httpServer?.on('request', () => (requests += 1));
let cpuFrom = process.cpuUsage();

process.on('message', (message: { id: number; type: 'reset' | 'stats' | 'stop' }) => {
  const answer = async (): Promise<unknown> => {
    switch (message.type) {
      case 'reset':
        requests = 0;
        cpuFrom = process.cpuUsage();
        // 5: reset the peak resident set size (Linux ≥ 4.0).
        await writeFile('/proc/self/clear_refs', '5').catch(() => {});
        return {};
      case 'stats': {
        const cpu = process.cpuUsage(cpuFrom);
        return {
          requests,
          cpuMs: (cpu.user + cpu.system) / 1000,
          rssMb: process.memoryUsage.rss() / 1024 / 1024,
          peakRssMb: await peakRssMb(),
          subscribers: subject.subscribers(),
        } satisfies SubjectStats;
      }
      case 'stop':
        await subject.stop();
        return {};
    }
  };
  answer().then(
    (value) => {
      process.send!({ id: message.id, value }, () => {
        if (message.type === 'stop') process.exit(0);
      });
    },
    (error: unknown) => process.send!({ id: message.id, error: String(error) }),
  );
});
process.send!({ ready: true, url: subject.url, wsUrl: subject.wsUrl });
