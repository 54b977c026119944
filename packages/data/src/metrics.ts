/**
 * Prometheus metrics the api and the worker share (`GET /metrics`, prom-client's text format):
 * - `rushes_queue_jobs{queue,state}`: jobs waiting (`created`/`retry`, due now) and running
 *   (`active`) per queue, counted from `pgboss.job` at each scrape. Not from pg-boss's cached
 *   `pgboss.queue` counts, which stay 0 while no worker supervises (docs: TRAPS.md);
 *   `rushes_queue_jobs_by_lane{queue,lane,state}` the same by priority lane;
 * - `rushes_db_pool_connections{state}`: the process's own pool (total, idle, waiting clients);
 * - Node's default process metrics (CPU, memory, event loop lag), prefixed `rushes_`.
 * Each process adds its own (job durations, GraphQL latency) to the registry it gets here.
 */
import { LANES } from '@rushes/schema/jobs';
import type pg from 'pg';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** Waiting and running jobs per queue and priority, from pg-boss's job table (every partition). */
export const QUEUE_COUNTS_SQL = `
  select name as queue, priority,
         count(*) filter (where state in ('created', 'retry') and start_after <= now()) as waiting,
         count(*) filter (where state = 'active') as active
    from pgboss.job
   where state in ('created', 'retry', 'active')
   group by name, priority`;

export interface QueueCount {
  queue: string;
  /** The priority lane (@rushes/schema/jobs LANES), or the priority itself when it is no lane's. */
  lane: string;
  waiting: number;
  active: number;
}

/** Pure: a job priority's lane name. */
export function laneOf(priority: number): string {
  return Object.entries(LANES).find(([, p]) => p === priority)?.[0] ?? String(priority);
}

/** Waiting and running jobs of every queue and lane that has any (none: the queues are idle). */
export async function queueCounts(pool: Pick<pg.Pool, 'query'>): Promise<QueueCount[]> {
  const { rows } = await pool.query<{ queue: string; priority: number; waiting: string; active: string }>(
    QUEUE_COUNTS_SQL,
  );
  return rows.map((r) => ({
    queue: r.queue,
    lane: laneOf(Number(r.priority)),
    waiting: Number(r.waiting),
    active: Number(r.active),
  }));
}

export interface SharedMetrics {
  registry: Registry;
}

/**
 * A registry with the shared metrics. `queues` lists the queues always reported (0 when idle),
 * so a dashboard sees a queue drain to 0 rather than vanish.
 */
export function createMetrics(pool: pg.Pool, queues: readonly string[]): SharedMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rushes_' });
  new Gauge({
    name: 'rushes_queue_jobs_by_lane',
    help: 'rushes_queue_jobs by priority lane (ingest, reprocess, backfill): which work waits',
    labelNames: ['queue', 'lane', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const c of await queueCounts(pool)) {
        this.set({ queue: c.queue, lane: c.lane, state: 'waiting' }, c.waiting);
        this.set({ queue: c.queue, lane: c.lane, state: 'active' }, c.active);
      }
    },
  });
  new Gauge({
    name: 'rushes_queue_jobs',
    help: 'Jobs per queue and state (waiting: created or retry and due; active: running), from pgboss.job',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = new Map(queues.map((q) => [q, { waiting: 0, active: 0 }]));
      for (const c of await queueCounts(pool)) {
        const total = counts.get(c.queue) ?? { waiting: 0, active: 0 };
        counts.set(c.queue, { waiting: total.waiting + c.waiting, active: total.active + c.active });
      }
      for (const [queue, c] of counts) {
        this.set({ queue, state: 'waiting' }, c.waiting);
        this.set({ queue, state: 'active' }, c.active);
      }
    },
  });
  new Gauge({
    name: 'rushes_db_pool_connections',
    help: "This process's PostgreSQL pool: open connections (total), idle ones, clients waiting for one",
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  return { registry };
}
