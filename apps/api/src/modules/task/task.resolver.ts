import { auditEvents, clips, tasks } from '@rushes/schema/tables';
import { and, eq, inArray } from 'drizzle-orm';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { assertCan, assertSignedIn } from '../../auth/access.ts';
import { fromGlobalId } from '../../auth/ids.ts';
import type { Context } from '../../context.ts';
import { badInput, conflict } from '../../graphql/errors.ts';
import { auditRow, withTransaction } from '../../transaction.ts';
import { Clip, toClip } from '../clip/clip.type.ts';
import { notify, settleClip, settleRoll } from '../clip/settle.ts';
import { jobOfTask } from './task.rules.ts';
import { Task, toTask } from './task.type.ts';

@Resolver(() => Task)
export class TaskResolver {
  @FieldResolver(() => Clip)
  async clip(@Root() task: Task, @Ctx() ctx: Context): Promise<Clip> {
    return toClip((await ctx.loaders.clip.load(task.clipId))!);
  }

  @Mutation(() => Task, {
    description:
      'Cancels a queued or running task (coordinator or owner): its job is withdrawn and a running one is stopped.',
  })
  async cancelTask(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Task> {
    assertSignedIn(ctx.access);
    const decoded = fromGlobalId(id);
    if (decoded?.type !== 'Task') throw badInput(`"${id}" is not a task id.`, 'id');
    const [found] = await ctx.deps.db
      .select({ task: tasks, productionId: clips.productionId })
      .from(tasks)
      .innerJoin(clips, eq(clips.id, tasks.clipId))
      .where(eq(tasks.id, decoded.id));
    if (!found) throw badInput(`No task with id "${id}".`, 'id');
    assertCan(ctx.access, found.productionId, 'ingest', 'task');
    const row = await withTransaction(ctx.deps.pool, async (tx) => {
      const [row] = await tx
        .update(tasks)
        .set({ state: 'canceled', finishedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(tasks.id, decoded.id), inArray(tasks.state, ['queued', 'running'])))
        .returning();
      if (!row) {
        throw conflict(`The task has already ${found.task.state}; there is nothing to cancel.`);
      }
      const clip = await settleClip(tx, row.clipId);
      await settleRoll(tx, clip.rollId);
      await notify(tx, {
        type: 'task.updated',
        productionId: found.productionId,
        rollId: clip.rollId,
        clipId: clip.id,
        taskId: row.id,
        kind: row.kind,
        state: 'canceled',
        progress: row.progress,
      });
      await tx.insert(auditEvents).values(
        auditRow(ctx.access, {
          productionId: found.productionId,
          action: 'task.canceled',
          subjectType: 'task',
          subjectId: row.id,
          data: { kind: row.kind },
        }),
      );
      return row;
    });
    const job = jobOfTask(row.kind);
    if (job && row.jobId) await ctx.deps.queue.cancel(job, row.jobId);
    return toTask(row, found.productionId);
  }
}
