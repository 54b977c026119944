/**
 * pg-boss on the process's one pool. The queue's statements (fetch, complete, heartbeats,
 * maintenance) go through the same pg.Pool as the process's own queries, so a process holds at
 * most its pool's size plus one connection: the LISTEN connection that wakes idle workers, which
 * must stay on one session (see the README's connection budget). pg-boss's own Db class keeps
 * that listener alive (heartbeat, reconnect with backoff, then a fetch to catch up), so only its
 * `listen` is used; its pool is never opened.
 */
import type { Db as QueueDb, PoolCounts } from 'pg-boss';
import PgBossDb from 'pg-boss/dist/db.js';
import type pg from 'pg';

export interface QueueDatabase extends QueueDb {
  /** Ends the listener (the pool is the caller's). */
  close(): Promise<void>;
}

export async function queueDatabase(
  pool: pg.Pool,
  options: { url: string; applicationName: string; onError: (error: Error) => void },
): Promise<QueueDatabase> {
  const listener = new PgBossDb({
    connectionString: options.url,
    application_name: `${options.applicationName}-listen`,
  });
  // A lost listener connection is reported here, then reconnected: unheard, it would end the process.
  listener.on('error', options.onError);
  await listener.open();
  return {
    executeSql: (text, values) => pool.query(text, values),
    listen: (channel, onNotification, onReconnect) => listener.listen(channel, onNotification, onReconnect),
    poolCounts: (): PoolCounts => ({
      max: pool.options.max ?? 10,
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    close: () => listener.close(),
  };
}
