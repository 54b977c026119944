/**
 * Clip and roll states: how they follow from task states (pure, unit-tested), and the one place
 * they are written. The worker settles them as its tasks move; the api after it requeues,
 * cancels or deletes — both through `settleClip`/`settleRoll`, in the caller's transaction.
 */
import { clipPipeline } from '@rushes/schema/jobs';
import { clips, rolls, tasks } from '@rushes/schema/tables';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from './db.ts';

export type TaskState = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
export type ProcessingState = 'pending' | 'processing' | 'ready' | 'failed' | 'partial';

/**
 * A clip: failed when a required task failed; ready when every required task succeeded;
 * partial when only optional ones (proxies, images) failed; processing while any runs or
 * waits; pending before any task exists.
 */
export function clipState(
  clipTasks: readonly { kind: string; state: TaskState }[],
  required: readonly string[],
): ProcessingState {
  if (clipTasks.length === 0) return 'pending';
  const byKind = new Map(clipTasks.map((t) => [t.kind, t.state]));
  if (required.some((kind) => byKind.get(kind) === 'failed' || byKind.get(kind) === 'canceled'))
    return 'failed';
  if (clipTasks.some((t) => t.state === 'queued' || t.state === 'running')) return 'processing';
  if (!required.every((kind) => byKind.get(kind) === 'succeeded')) return 'processing';
  return clipTasks.some((t) => t.state === 'failed') ? 'partial' : 'ready';
}

/** A roll: from its clips' states. */
export function rollState(clips: readonly ProcessingState[]): ProcessingState {
  if (clips.length === 0) return 'pending';
  if (clips.some((s) => s === 'processing')) return 'processing';
  if (clips.every((s) => s === 'pending')) return 'pending';
  if (clips.some((s) => s === 'pending')) return 'processing';
  if (clips.every((s) => s === 'ready')) return 'ready';
  if (clips.every((s) => s === 'failed')) return 'failed';
  return 'partial';
}

/**
 * Where a roll's card import stands, from its row: `none` (not imported, e.g. an empty roll
 * before its upload), `running` (files listed, not all stored yet), `done`, or `failed` (given up:
 * the roll says how many files were not imported).
 */
export type ImportStatus = 'none' | 'running' | 'done' | 'failed';

export function importStatus(roll: {
  importFilesTotal: number | null;
  importFilesDone: number | null;
  importFailed: boolean;
}): ImportStatus {
  if (roll.importFailed) return 'failed';
  if (roll.importFilesTotal === null) return 'none';
  return (roll.importFilesDone ?? 0) < roll.importFilesTotal ? 'running' : 'done';
}

/**
 * A roll whose import is still running is never settled by its first clips (it would be sealed
 * with half its card); one whose import was given up stays failed whatever its clips do.
 */
export function rollStateWithImport(
  clips: readonly ProcessingState[],
  status: ImportStatus,
): ProcessingState {
  if (status === 'failed') return 'failed';
  const state = rollState(clips);
  if (status === 'running' && state !== 'pending') return 'processing';
  return state;
}

/**
 * The clip's state from its tasks, written; returns the clip's row. For a caller that just changed
 * the clip's tasks in its transaction: a clip that does not exist is an error.
 */
export async function settleClip(db: Database, clipId: string) {
  const clip = await settleClipIfAny(db, clipId);
  if (!clip) throw new Error(`Cannot settle clip ${clipId}: it does not exist.`);
  return clip;
}

/** As `settleClip`, for a clip that may have been deleted meanwhile (a job's late report). */
export async function settleClipIfAny(db: Database, clipId: string) {
  const clipTasks = await db
    .select({ kind: tasks.kind, state: tasks.state })
    .from(tasks)
    .where(eq(tasks.clipId, clipId));
  const [clip] = await db
    .update(clips)
    .set({ state: clipState(clipTasks, clipPipeline), updatedAt: new Date() })
    .where(eq(clips.id, clipId))
    .returning();
  return clip;
}

/**
 * The roll's state from its clips' and its import's (a roll still importing is not settled by
 * its first clips); written and returned.
 */
export async function settleRoll(db: Database, rollId: string): Promise<ProcessingState> {
  // The distinct states are enough (rollState asks "some" and "every"): one row per state, not
  // one per clip, on every task change of a thousand-clip roll. One statement with the import's
  // columns: this runs on every task change.
  const [row] = await db
    .select({
      importFilesTotal: rolls.importFilesTotal,
      importFilesDone: rolls.importFilesDone,
      errorMessage: rolls.errorMessage,
      // Qualified by hand: in a one-table select drizzle writes its columns unqualified.
      states: sql<ProcessingState[]>`array(
        select distinct c.state::text from ${clips} c where c.roll_id = ${rolls}.id)`,
    })
    .from(rolls)
    .where(eq(rolls.id, rollId));
  if (!row) return rollStateWithImport([], 'none');
  const status = importStatus({ ...row, importFailed: row.errorMessage !== null });
  const state = rollStateWithImport(row.states, status);
  await db.update(rolls).set({ state, updatedAt: new Date() }).where(eq(rolls.id, rollId));
  return state;
}

/** Pure: what a failed import says on its roll. */
export function importFailureMessage(total: number | null, done: number | null, reason: string): string {
  if (total === null) return reason;
  const missing = Math.max(0, total - (done ?? 0));
  return `${missing.toLocaleString('en')} of ${total.toLocaleString('en')} files were not imported: ${reason}`;
}

/**
 * Ends the roll's import `failed` (once: a second call keeps the first reason); the roll stays
 * failed whatever its clips do (see rollStateWithImport).
 */
export async function failImport(db: Database, rollId: string, reason: string): Promise<void> {
  const [roll] = await db
    .select({ total: rolls.importFilesTotal, done: rolls.importFilesDone })
    .from(rolls)
    .where(eq(rolls.id, rollId));
  if (!roll) return;
  await db
    .update(rolls)
    .set({
      state: 'failed',
      errorMessage: importFailureMessage(roll.total, roll.done, reason),
      updatedAt: sql`now()`,
    })
    .where(and(eq(rolls.id, rollId), isNull(rolls.errorMessage)));
}
