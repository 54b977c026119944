/**
 * The task history users see: every state change of a clip's task is written to `tasks`, the
 * clip's and roll's states are derived from their tasks, and a status event goes out on
 * `rushes_events`. Progress updates are throttled per task.
 */
import { clipPipeline } from '@rushes/schema/jobs';
import {
  clipState,
  importStatus,
  rollStateWithImport,
  type ProcessingState,
  type TaskState,
} from '@rushes/schema/states';
import { clips, rolls, tasks } from '@rushes/schema/tables';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Database } from './db.ts';
import { publishEvent } from './events.ts';

export interface TaskRef {
  taskId: string;
  clipId: string;
  rollId: string;
  productionId: string;
  kind: string;
}

async function clipOf(db: Database, clipId: string) {
  const [clip] = await db
    .select({ id: clips.id, rollId: clips.rollId, productionId: clips.productionId })
    .from(clips)
    .where(eq(clips.id, clipId));
  return clip;
}

/** Marks the task running (one more attempt); undefined when the clip no longer exists. */
export async function startTask(
  db: Database,
  clipId: string,
  kind: string,
  jobId: string,
  workerId: string,
): Promise<TaskRef | undefined> {
  const clip = await clipOf(db, clipId);
  if (!clip) return undefined;
  const now = new Date();
  const [task] = await db
    .insert(tasks)
    .values({ clipId, kind, state: 'running', attempt: 1, jobId, workerId, startedAt: now, progress: 0 })
    .onConflictDoUpdate({
      target: [tasks.clipId, tasks.kind],
      set: {
        state: 'running',
        attempt: sql`${tasks.attempt} + 1`,
        jobId,
        workerId,
        startedAt: now,
        finishedAt: null,
        progress: 0,
        errorCode: null,
        errorMessage: null,
        updatedAt: now,
      },
    })
    .returning({ id: tasks.id });
  const ref = { taskId: task!.id, clipId, rollId: clip.rollId, productionId: clip.productionId, kind };
  await settleStates(db, ref, 'running', 0);
  return ref;
}

/**
 * Records where a task ended (or that it waits for a retry), updates clip and roll, and returns
 * the roll's new state.
 */
export async function finishTask(
  db: Database,
  ref: TaskRef,
  state: Exclude<TaskState, 'running'>,
  error?: { code: string; message: string },
): Promise<ProcessingState> {
  const now = new Date();
  const updated = await db
    .update(tasks)
    .set({
      state,
      progress: state === 'succeeded' ? 1 : sql`${tasks.progress}`,
      errorCode: error?.code ?? null,
      errorMessage: error?.message ?? null,
      finishedAt: state === 'queued' ? null : now,
      updatedAt: now,
    })
    // A task someone cancelled stays cancelled, whatever its job did after (it is aborted).
    .where(and(eq(tasks.id, ref.taskId), ne(tasks.state, 'canceled')))
    .returning({ id: tasks.id });
  if (updated.length === 0) return settleStates(db, ref, 'canceled', 0);
  if (state === 'failed' && error) {
    await db
      .update(clips)
      .set({ errorCode: error.code, errorMessage: error.message, updatedAt: now })
      .where(eq(clips.id, ref.clipId));
  }
  return settleStates(db, ref, state, state === 'succeeded' ? 1 : 0);
}

/** Writes a running task's progress (0–1) and tells the listeners; callers throttle it. */
export async function reportProgress(db: Database, ref: TaskRef, progress: number): Promise<void> {
  // Only while it runs: a late update must not lower a finished task's progress.
  const updated = await db
    .update(tasks)
    .set({ progress, updatedAt: new Date() })
    .where(and(eq(tasks.id, ref.taskId), eq(tasks.state, 'running')))
    .returning({ id: tasks.id });
  if (updated.length === 0) return;
  await publishEvent(db, taskEvent(ref, 'running', progress));
}

/** Pure: the `rushes_events` payload of a task change. */
function taskEvent(ref: TaskRef, state: TaskState, progress: number) {
  return {
    type: 'task.updated' as const,
    productionId: ref.productionId,
    rollId: ref.rollId,
    clipId: ref.clipId,
    taskId: ref.taskId,
    kind: ref.kind,
    state,
    progress,
  };
}

/** Queues the next task of a clip (so its state shows it waiting rather than done). */
export async function queueTask(db: Database, clipId: string, kind: string): Promise<void> {
  await db
    .insert(tasks)
    .values({ clipId, kind, state: 'queued' })
    .onConflictDoUpdate({
      target: [tasks.clipId, tasks.kind],
      set: { state: 'queued', progress: 0, updatedAt: new Date() },
    });
}

/** Derives the clip's and the roll's states from their tasks, then tells the listeners. */
async function settleStates(
  db: Database,
  ref: TaskRef,
  state: TaskState,
  progress: number,
): Promise<ProcessingState> {
  const clipTasks = await db
    .select({ kind: tasks.kind, state: tasks.state })
    .from(tasks)
    .where(eq(tasks.clipId, ref.clipId));
  const now = new Date();
  await db
    .update(clips)
    .set({ state: clipState(clipTasks, clipPipeline), updatedAt: now })
    .where(eq(clips.id, ref.clipId));
  const roll = await settleRoll(db, ref.rollId);
  await publishEvent(db, taskEvent(ref, state, progress));
  return roll;
}

/**
 * The roll's state from its clips' and its import's (a roll still importing is not settled by
 * its first clips); written and returned.
 */
export async function settleRoll(db: Database, rollId: string): Promise<ProcessingState> {
  // The distinct states are enough (rollState asks "some" and "every"): one row per state, not
  // one per clip, on every task change of a thousand-clip roll.
  const rollClips = await db
    .selectDistinct({ state: clips.state })
    .from(clips)
    .where(eq(clips.rollId, rollId));
  const [row] = await db
    .select({
      importFilesTotal: rolls.importFilesTotal,
      importFilesDone: rolls.importFilesDone,
      errorMessage: rolls.errorMessage,
    })
    .from(rolls)
    .where(eq(rolls.id, rollId));
  const status = row ? importStatus({ ...row, importFailed: row.errorMessage !== null }) : 'none';
  const roll = rollStateWithImport(
    rollClips.map((c) => c.state),
    status,
  );
  await db.update(rolls).set({ state: roll, updatedAt: new Date() }).where(eq(rolls.id, rollId));
  return roll;
}
