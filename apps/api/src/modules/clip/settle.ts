/**
 * Clip and roll states after the api changed a clip's tasks (reprocess, cancel, delete): the same
 * derivation the workers use (@rushes/schema/states), in the caller's transaction.
 */
import { EVENTS_CHANNEL, type StatusEvent } from '@rushes/schema/events';
import { clipPipeline } from '@rushes/schema/jobs';
import { clipState, importStatus, rollStateWithImport } from '@rushes/schema/states';
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

/** What a roll's import status is read from (see importStatus). */
export const importColumns = {
  importFilesTotal: rolls.importFilesTotal,
  importFilesDone: rolls.importFilesDone,
  errorMessage: rolls.errorMessage,
};

export async function settleRoll(tx: Tx, rollId: string): Promise<void> {
  const states = await tx.selectDistinct({ state: clips.state }).from(clips).where(eq(clips.rollId, rollId));
  const [roll] = await tx.select(importColumns).from(rolls).where(eq(rolls.id, rollId));
  if (!roll) return;
  await tx
    .update(rolls)
    .set({
      state: rollStateWithImport(
        states.map((s) => s.state),
        importStatus({ ...roll, importFailed: roll.errorMessage !== null }),
      ),
      updatedAt: new Date(),
    })
    .where(eq(rolls.id, rollId));
}

/** Tells subscribers, when the transaction commits (NOTIFY is transactional). */
export async function notify(tx: Tx, event: StatusEvent): Promise<void> {
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(event)})`);
}
