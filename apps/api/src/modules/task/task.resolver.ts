import { auditEvents, clips, tasks } from '@rushes/schema/tables';
import { and, eq, inArray } from 'drizzle-orm';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { authorize, Gate } from '../../auth/gate.ts';
import { production, SELF } from '../../auth/policy.ts';
import { fromGlobalId } from '../../auth/ids.ts';
import type { Context } from '../../context.ts';
import { badInput, conflict } from '../../graphql/errors.ts';
import { auditRow, withTransaction } from '../../transaction.ts';
import { Clip, toClip } from '../clip/clip.type.ts';
import { publishEvent, taskEvent } from '@rushes/data/events';
import { settleClip, settleRoll } from '@rushes/data/states';
import { jobOfTask } from './task.rules.ts';
import { Task, toTask } from './task.type.ts';

@Resolver(() => Task)
export class TaskResolver {
  @FieldResolver(() => Clip)
  @Gate({ action: 'read', from: 'parent' })
  async clip(@Root() task: Task, @Ctx() ctx: Context): Promise<Clip> {
    return toClip((await ctx.loaders.clip.load(task.clipId))!);
  }

  @Mutation(() => Task, {
    description:
      'Cancels a queued or running task (coordinator or owner): its job is withdrawn and a running one is stopped.',
  })
  @Gate({ action: 'ingest', from: 'arguments' })
  async cancelTask(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Task> {
    authorize(ctx, 'browse', SELF);
    const decoded = fromGlobalId(id);
    if (decoded?.type !== 'Task') throw badInput(`"${id}" is not a task id.`, 'id');
    const [found] = await ctx.deps.db
      .select({ task: tasks, productionId: clips.productionId })
      .from(tasks)
      .innerJoin(clips, eq(clips.id, tasks.clipId))
      .where(eq(tasks.id, decoded.id));
    if (!found) throw badInput(`No task with id "${id}".`, 'id');
    authorize(ctx, 'ingest', production(found.productionId, 'task'));
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
      await publishEvent(
        tx,
        taskEvent(
          {
            taskId: row.id,
            clipId: clip.id,
            rollId: clip.rollId,
            productionId: found.productionId,
            kind: row.kind,
          },
          'canceled',
          row.progress,
        ),
      );
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
