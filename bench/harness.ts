/** Shared by the benchmarks: a database to run against, timing loops and the result rows. */
import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase, migrateDatabase, withDatabase } from '../scripts/lib/database.ts';
import { startTemporaryPostgres } from '../scripts/lib/embedded-postgres.ts';
import { freePort } from '../test/support/postgres.global.ts';

export interface Row {
  benchmark: string;
  /** What was measured, e.g. `rushes api` or `baseline: raw pg + http`. */
  subject: string;
  value: number;
  unit: string;
  /** value ÷ the baseline's value, for rows compared with one. */
  ratio?: number;
}

export interface BenchContext {
  /** A fresh, migrated database for this benchmark. */
  createDatabase(): Promise<string>;
}

export type Benchmark = (context: BenchContext) => Promise<Row[]>;

/** The value below which a share `p` (0–1) of the samples lie (nearest rank). */
export const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? 0;

/** The middle sample (the upper one of an even count). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** `min 1.02, max 1.31`: how far the rounds of a measurement were apart. */
export const spread = (xs: number[], digits = 2) =>
  `min ${Math.min(...xs).toFixed(digits)}, max ${Math.max(...xs).toFixed(digits)}`;

/** Runs `request` from `concurrency` loops for `durationMs`; returns completed requests per second. */
export async function throughput(
  request: () => Promise<void>,
  durationMs = 3000,
  concurrency = 8,
): Promise<number> {
  for (let i = 0; i < 50; i += 1) await request(); // warm-up
  let done = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await request();
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

/**
 * Measures `baseline` and `subject` in alternating rounds (so a busy moment of the machine hits
 * both) and returns the median throughput of each.
 */
export async function compareThroughput(
  baseline: () => Promise<void>,
  subject: () => Promise<void>,
  rounds = 3,
): Promise<{ baseline: number; subject: number }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    a.push(await throughput(baseline));
    b.push(await throughput(subject));
  }
  return { baseline: median(a), subject: median(b) };
}

/**
 * Benchmarks that need PostgreSQL get a fresh, migrated database on TEST_DATABASE_URL /
 * DATABASE_URL, else on an embedded server started on first use.
 */
export function openServer(): { context: BenchContext; close(): Promise<void> } {
  let server: Promise<{ url: string; stop(): Promise<void> }> | undefined;
  const created: string[] = [];
  const start = async () => {
    const external = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
    if (external) return { url: external, stop: async () => {} };
    const embedded = await startTemporaryPostgres(await freePort(), 'rushes-bench-pg-');
    return { url: embedded.serverUrl, stop: () => embedded.stop() };
  };
  return {
    context: {
      async createDatabase() {
        server ??= start();
        const { url } = await server;
        const name = `rushes_bench_${randomBytes(4).toString('hex')}`;
        await ensureDatabase(url, name);
        created.push(name);
        const databaseUrl = withDatabase(url, name);
        await migrateDatabase(databaseUrl);
        return databaseUrl;
      },
    },
    async close() {
      if (!server) return;
      const { url, stop } = await server;
      for (const name of created) await dropDatabase(url, name);
      await stop();
    },
  };
}
