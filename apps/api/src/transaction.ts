import * as tables from '@rushes/schema/tables';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Access } from './auth/access.ts';

export type Tx = NodePgDatabase<typeof tables>;

/**
 * Runs `work` in one transaction on one connection: rows, audit events and the jobs that
 * process them (sent on `client`) commit together or not at all.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (tx: Tx, client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(drizzle(client, { schema: tables }), client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/** An audit event's row, with the caller as its actor. */
export function auditRow(
  access: Access,
  event: {
    productionId: string | null;
    action: string;
    subjectType: string;
    subjectId: string;
    data?: Record<string, unknown>;
  },
): typeof tables.auditEvents.$inferInsert {
  return {
    ...event,
    data: event.data ?? {},
    actorUserId: access.userId ?? null,
    actorApiKeyId: access.apiKeyId ?? null,
  };
}
