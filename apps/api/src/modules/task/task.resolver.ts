import { recordAudit } from '@rushes/data/audit';
import { cancelTask, findTaskWithProduction } from '@rushes/data/tasks';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { authorize, Gate } from '../../auth/gate.ts';
import { production, SELF } from '../../auth/policy.ts';
import { fromGlobalId } from '../../auth/ids.ts';
import type { Context } from '../../context.ts';
import { badInput, conflict } from '../../graphql/errors.ts';
import { auditRow, withTransaction } from '../../transaction.ts';
import { Clip, toClip } from '../clip/clip.type.ts';
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
    const found = await findTaskWithProduction(ctx.deps.db, decoded.id);
    if (!found) throw badInput(`No task with id "${id}".`, 'id');
    authorize(ctx, 'ingest', production(found.productionId, 'task'));
    const row = await withTransaction(ctx.deps.pool, async (tx) => {
      const row = await cancelTask(tx, { id: decoded.id, productionId: found.productionId });
      if (!row) {
        throw conflict(`The task has already ${found.task.state}; there is nothing to cancel.`);
      }
      await recordAudit(
        tx,
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
