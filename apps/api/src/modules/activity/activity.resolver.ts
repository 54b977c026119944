/**
 * Subscriptions over graphql-ws, fed by LISTEN rushes_events (events/hub.ts). Authorized by the
 * gate when the subscription starts (NOT_FOUND / FORBIDDEN like a query) and again for every
 * event (`authorizedEvents`), with the caller's access re-read at most every few seconds — a
 * removed member stops receiving.
 */
import type { StatusEvent } from '@rushes/schema/events';
import { Arg, Ctx, Field, Float, ID, ObjectType, Root, Subscription, Resolver } from 'type-graphql';
import { authorizedEvents, Gate } from '../../auth/gate.ts';
import type { Context } from '../../context.ts';
import type { HubEvent } from '../../events/hub.ts';
import { createLoaders } from '../../loaders.ts';
import { clipFor } from '../clip/clip.resolver.ts';
import { Clip, toClip } from '../clip/clip.type.ts';
import { productionFor } from '../production/production.resolver.ts';
import { ProcessingCounts, toCounts } from '../roll/counts.type.ts';
import { rollFor } from '../roll/roll.resolver.ts';
import { ProcessingState, Roll, toRoll } from '../roll/roll.type.ts';
import { TaskState } from '../task/task.type.ts';
import { toGlobalId } from '../../auth/ids.ts';

@ObjectType({
  description: 'Something happened in a production: a task changed or the production was set up.',
})
export class ActivityEvent {
  @Field(() => String, { description: 'task.updated | production.updated.' })
  type!: string;

  @Field(() => ID)
  productionId!: string;

  @Field(() => ID, { nullable: true })
  rollId!: string | null;

  @Field(() => ID, { nullable: true })
  clipId!: string | null;

  @Field(() => ID, { nullable: true })
  taskId!: string | null;

  @Field(() => String, { nullable: true, description: 'Task kind: verify, probe, review, proxy:<profile>.' })
  kind!: string | null;

  @Field(() => TaskState, { nullable: true })
  taskState!: TaskState | null;

  @Field(() => Float, { nullable: true })
  progress!: number | null;

  @Field(() => Date)
  at!: Date;
}

@ObjectType()
export class RollProgress {
  @Field(() => Roll)
  roll!: Roll;

  @Field(() => ProcessingCounts)
  counts!: ProcessingCounts;

  @Field(() => ProcessingState)
  state!: ProcessingState;
}

@Resolver()
export class ActivityResolver {
  @Subscription(() => Clip, {
    description: 'The clip, each time one of its tasks changes state or reports progress.',
    subscribe: async ({ args, context }) => {
      const clip = await clipFor(context as Context, args['clipId'] as string);
      return authorizedEvents(context as Context, (e) => e.type === 'task.updated' && e.clipId === clip.dbId);
    },
  })
  @Gate({ action: 'read', from: 'arguments' })
  async clipUpdated(
    @Arg('clipId', () => ID) _clipId: string,
    @Root() item: HubEvent,
    @Ctx() ctx: Context,
  ): Promise<Clip> {
    const event = item.event as Extract<StatusEvent, { type: 'task.updated' }>;
    const row = await item.shared(`clip:${event.clipId}`, () =>
      createLoaders(ctx.deps.db).clip.load(event.clipId),
    );
    return toClip(row!);
  }

  @Subscription(() => RollProgress, {
    description: "The roll's clips by state and its overall progress, each time a task in it changes.",
    subscribe: async ({ args, context }) => {
      const roll = await rollFor(context as Context, args['rollId'] as string);
      return authorizedEvents(context as Context, (e) => e.type === 'task.updated' && e.rollId === roll.dbId);
    },
  })
  @Gate({ action: 'read', from: 'arguments' })
  async rollProgress(
    @Arg('rollId', () => ID) _rollId: string,
    @Root() item: HubEvent,
    @Ctx() ctx: Context,
  ): Promise<RollProgress> {
    const event = item.event as Extract<StatusEvent, { type: 'task.updated' }>;
    const { roll, counts } = await item.shared(`roll:${event.rollId}`, async () => {
      const loaders = createLoaders(ctx.deps.db);
      const [roll, counts] = await Promise.all([
        loaders.roll.load(event.rollId),
        loaders.countsByRoll.load(event.rollId),
      ]);
      return { roll: roll!, counts };
    });
    return { roll: toRoll(roll), counts: toCounts(counts), state: roll.state as ProcessingState };
  }

  @Subscription(() => ActivityEvent, {
    description:
      'Every task change and set-up in the production, as it happens (no database read per event).',
    subscribe: async ({ args, context }) => {
      const production = await productionFor(context as Context, args['productionId'] as string);
      return authorizedEvents(context as Context, (e) => e.productionId === production.dbId);
    },
  })
  @Gate({ action: 'read', from: 'arguments' })
  productionActivity(
    @Arg('productionId', () => ID) _productionId: string,
    @Root() item: HubEvent,
  ): ActivityEvent {
    const e = item.event;
    const task = e.type === 'task.updated' ? e : undefined;
    return {
      type: e.type,
      productionId: toGlobalId('Production', e.productionId),
      rollId: task ? toGlobalId('Roll', task.rollId) : null,
      clipId: task ? toGlobalId('Clip', task.clipId) : null,
      taskId: task ? toGlobalId('Task', task.taskId) : null,
      kind: task?.kind ?? null,
      taskState: (task?.state as TaskState | undefined) ?? null,
      progress: task?.progress ?? null,
      at: new Date(),
    };
  }
}
