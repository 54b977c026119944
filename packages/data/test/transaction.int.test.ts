/**
 * withTransaction when PostgreSQL ends its connection mid-transaction (a restart, a network cut):
 * the transaction fails with the connection's error instead of the process dying on an unheard
 * 'error' event, and the pool discards the dead connection and goes on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, withTransaction } from '../src/db.ts';
import { useTestDatabase } from './support.ts';

const handle = useTestDatabase();

describe('withTransaction', () => {
  it('fails, without an uncaught error, when its connection is terminated between statements; the pool goes on', async () => {
    let pid = 0;
    const failure = await withTransaction(handle.pool, async (_tx, client) => {
      pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await handle.pool.query('select pg_terminate_backend($1)', [pid]);
      // The FATAL 57P01 and the socket's end arrive while no statement of this client runs.
      await sleep(300);
      await client.query('select 1');
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(failure)).toBe(true);

    const { rows } = await handle.pool.query<{ pid: number }>('select pg_backend_pid() as pid');
    expect(rows[0]!.pid).not.toBe(pid);
    const committed = await withTransaction(handle.pool, async (_tx, client) => {
      return (await client.query<{ n: number }>('select 41 + 1 as n')).rows[0]!.n;
    });
    expect(committed).toBe(42);
  });
});
