/**
 * Clip and roll states after the api changed a clip's tasks (reprocess, cancel, delete): the same
 * derivation the workers use (@rushes/schema/states), in the caller's transaction.
 */
import { EVENTS_CHANNEL, type StatusEvent } from '@rushes/schema/events';
import { clipPipeline } from '@rushes/schema/jobs';
import { clipState, rollState } from '@rushes/schema/states';
import { clips, rolls, tasks } from '@rushes/schema/tables';
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../transaction.ts';

export async function settleClip(tx: Tx, clipId: string) {
  const clipTasks = await tx
    .select({ kind: tasks.kind, state: tasks.state })
    .from(tasks)
    .where(eq(tasks.clipId, clipId));
  const [clip] = await tx
    .update(clips)
    .set({ state: clipState(clipTasks, clipPipeline), updatedAt: new Date() })
    .where(eq(clips.id, clipId))
    .returning();
  return clip!;
}

export async function settleRoll(tx: Tx, rollId: string): Promise<void> {
  const states = await tx.selectDistinct({ state: clips.state }).from(clips).where(eq(clips.rollId, rollId));
  await tx
    .update(rolls)
    .set({ state: rollState(states.map((s) => s.state)), updatedAt: new Date() })
    .where(eq(rolls.id, rollId));
}

/** Tells subscribers, when the transaction commits (NOTIFY is transactional). */
export async function notify(tx: Tx, event: StatusEvent): Promise<void> {
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(event)})`);
}
