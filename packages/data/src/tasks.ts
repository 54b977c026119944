/**
 * The task history users see: every state change of a clip's task is written to `tasks`, then
 * the clip's and roll's states are settled (./states.ts) and a status event goes out
 * (./events.ts). Every function takes the handle to write through (the pool or a transaction).
 */
import { clips, tasks } from '@rushes/schema/tables';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database } from './db.ts';
import { publishEvent, taskEvent, type TaskRef } from './events.ts';
import { settleClip, settleClipIfAny, settleRoll, type ProcessingState, type TaskState } from './states.ts';

export type { TaskRef } from './events.ts';

/**
 * Marks the task running (one more attempt); undefined when the clip no longer exists. One
 * statement finds the clip and inserts or restarts its task: a job's start costs round trips,
 * and every clip's pipeline starts a few.
 */
export async function startTask(
  db: Database,
  clipId: string,
  kind: string,
  jobId: string,
  workerId: string,
): Promise<TaskRef | undefined> {
  const now = new Date();
  const result = await db.execute<{ task_id: string; roll_id: string; production_id: string }>(sql`
    with clip as (select id, roll_id, production_id from ${clips} where id = ${clipId}),
    task as (
      insert into ${tasks} (clip_id, kind, state, attempt, job_id, worker_id, started_at, progress)
      select clip.id, ${kind}, 'running', 1, ${jobId}, ${workerId}, ${now}, 0 from clip
      on conflict (clip_id, kind) do update set
        state = 'running', attempt = ${tasks}.attempt + 1, job_id = excluded.job_id,
        worker_id = excluded.worker_id, started_at = excluded.started_at, finished_at = null,
        progress = 0, error_code = null, error_message = null, updated_at = excluded.started_at
      returning id
    )
    select task.id as task_id, clip.roll_id, clip.production_id from task, clip`);
  const row = result.rows[0];
  if (!row) return undefined;
  const ref = { taskId: row.task_id, clipId, rollId: row.roll_id, productionId: row.production_id, kind };
  await settleAndPublish(db, ref, 'running', 0);
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
  if (updated.length === 0) return settleAndPublish(db, ref, 'canceled', 0);
  if (state === 'failed' && error) {
    await db
      .update(clips)
      .set({ errorCode: error.code, errorMessage: error.message, updatedAt: now })
      .where(eq(clips.id, ref.clipId));
  }
  return settleAndPublish(db, ref, state, state === 'succeeded' ? 1 : 0);
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

/**
 * Queues a task of a clip (the next step of its pipeline, or a reprocess): inserted, or reset to
 * queued with no progress, error or finish time left from an earlier run. The caller settles
 * the clip and roll (once per roll when it queues many).
 */
export async function queueTask(db: Database, clipId: string, kind: string): Promise<void> {
  await db
    .insert(tasks)
    .values({ clipId, kind, state: 'queued' })
    .onConflictDoUpdate({
      target: [tasks.clipId, tasks.kind],
      set: {
        state: 'queued',
        progress: 0,
        errorCode: null,
        errorMessage: null,
        finishedAt: null,
        updatedAt: new Date(),
      },
    });
}

/** Derives the clip's and the roll's states from their tasks, then tells the listeners. */
async function settleAndPublish(
  db: Database,
  ref: TaskRef,
  state: TaskState,
  progress: number,
): Promise<ProcessingState> {
  await settleClipIfAny(db, ref.clipId);
  const roll = await settleRoll(db, ref.rollId);
  await publishEvent(db, taskEvent(ref, state, progress));
  return roll;
}

export type TaskRow = typeof tasks.$inferSelect;

/** The task, or undefined. */
export async function findTask(db: Database, id: string): Promise<TaskRow | undefined> {
  const [row] = await db.select().from(tasks).where(eq(tasks.id, id));
  return row;
}

/** The tasks of these clips, oldest first. */
export async function tasksOfClips(db: Database, clipIds: readonly string[]): Promise<TaskRow[]> {
  if (clipIds.length === 0) return [];
  return db
    .select()
    .from(tasks)
    .where(inArray(tasks.clipId, [...clipIds]))
    .orderBy(asc(tasks.queuedAt));
}

/** The task with the production of its clip, or undefined. */
export async function findTaskWithProduction(
  db: Database,
  id: string,
): Promise<{ task: TaskRow; productionId: string } | undefined> {
  const [found] = await db
    .select({ task: tasks, productionId: clips.productionId })
    .from(tasks)
    .innerJoin(clips, eq(clips.id, tasks.clipId))
    .where(eq(tasks.id, id));
  return found;
}

/**
 * Cancels a queued or running task: written, its clip and roll settled, the listeners told.
 * Undefined when it is neither (it ended meanwhile): nothing is changed. The caller withdraws
 * its job.
 */
export async function cancelTask(
  db: Database,
  task: { id: string; productionId: string },
): Promise<TaskRow | undefined> {
  const now = new Date();
  const [row] = await db
    .update(tasks)
    .set({ state: 'canceled', finishedAt: now, updatedAt: now })
    .where(and(eq(tasks.id, task.id), inArray(tasks.state, ['queued', 'running'])))
    .returning();
  if (!row) return undefined;
  const clip = await settleClip(db, row.clipId);
  await settleRoll(db, clip.rollId);
  const ref = {
    taskId: row.id,
    clipId: clip.id,
    rollId: clip.rollId,
    productionId: task.productionId,
    kind: row.kind,
  };
  await publishEvent(db, taskEvent(ref, 'canceled', row.progress));
  return row;
}
