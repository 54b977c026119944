/**
 * Status events: the one place they are sent. Every api process LISTENs on `rushes_events`
 * (apps/api/src/events/hub.ts) and fans them out to subscriptions.
 */
import { EVENTS_CHANNEL, type StatusEvent } from '@rushes/schema/events';
import type { TaskState } from './states.ts';
import { sql } from 'drizzle-orm';
import type { Database } from './db.ts';

/**
 * Sends `event` to every listening api process; given a transaction's handle, it is delivered
 * when (and only if) the transaction commits.
 */
export async function publishEvent(db: Database, event: StatusEvent): Promise<void> {
  await db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(event)})`);
}

/** A task and the clip, roll and production it belongs to: what a task event names. */
export interface TaskRef {
  taskId: string;
  clipId: string;
  rollId: string;
  productionId: string;
  kind: string;
}

/** Pure: the event of a task change. */
export function taskEvent(ref: TaskRef, state: TaskState, progress: number): StatusEvent {
  return {
    type: 'task.updated',
    productionId: ref.productionId,
    rollId: ref.rollId,
    clipId: ref.clipId,
    taskId: ref.taskId,
    kind: ref.kind,
    state,
    progress,
  };
}
