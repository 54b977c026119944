import { EVENTS_CHANNEL, type StatusEvent } from '@rushes/schema/events';
import { sql } from 'drizzle-orm';
import type { Database } from './db.ts';

/** Sends a status event to every api process listening on `rushes_events`. */
export async function publishEvent(db: Database, event: StatusEvent): Promise<void> {
  await db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(event)})`);
}
