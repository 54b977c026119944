import type { RenditionRow } from '@rushes/data/renditions';
import type { TaskRow } from '@rushes/data/tasks';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Gate } from '../../auth/gate.ts';
import type { ProductionAction } from '../../auth/policy.ts';
import { reachable } from '../../auth/reachable.ts';
import type { Context } from '../../context.ts';
import { ClipMetadata, toClipMetadata } from '../../graphql/metadata.type.ts';
import { PageArgs } from '../../graphql/relay.ts';
import { Production } from '../production/production.type.ts';
import { productionFor } from '../production/production.resolver.ts';
import { Rendition, toRendition } from '../rendition/rendition.type.ts';
import { Roll, toRoll } from '../roll/roll.type.ts';
import { Task, toTask } from '../task/task.type.ts';
import { ClipFilter, ClipOrder } from './clip.input.ts';
import { listClips } from './clip.service.ts';
import { Clip, ClipConnection, toClip } from './clip.type.ts';

/** The clip a global id names, if the caller may do `action` in its production. */
export async function clipFor(
  ctx: Context,
  globalId: string,
  action: ProductionAction = 'read',
): Promise<Clip> {
  const row = await reachable(
    ctx,
    globalId,
    { type: 'Clip', what: 'clip', field: 'id' },
    (id) => ctx.loaders.clip.load(id),
    (clip) => clip.productionId,
    action,
  );
  return toClip(row);
}

@Resolver(() => Clip)
export class ClipResolver {
  @Query(() => ClipConnection, {
    description: "A production's clips, filtered and sorted (default: by name).",
  })
  @Gate({ action: 'read', from: 'arguments' })
  async clips(
    @Arg('productionId', () => ID) productionId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Arg('filter', () => ClipFilter, { nullable: true }) filter?: ClipFilter,
    @Arg('orderBy', () => ClipOrder, { nullable: true }) orderBy?: ClipOrder,
  ) {
    const production = await productionFor(ctx, productionId);
    return listClips(ctx, { productionId: production.dbId, filter, orderBy, page });
  }

  @FieldResolver(() => ClipMetadata, { description: 'The normalized metadata, each value with its source.' })
  @Gate({ derived: "the clip's own metadata document" })
  metadata(@Root() clip: Clip): Record<string, unknown> {
    return toClipMetadata(clip.document);
  }

  @FieldResolver(() => Roll)
  @Gate({ action: 'read', from: 'parent' })
  async roll(@Root() clip: Clip, @Ctx() ctx: Context): Promise<Roll> {
    return toRoll((await ctx.loaders.roll.load(clip.rollId))!);
  }

  @FieldResolver(() => [Rendition], { description: 'Proxies and images made from the clip.' })
  @Gate({ action: 'read', from: 'parent' })
  async renditions(@Root() clip: Clip, @Ctx() ctx: Context): Promise<Rendition[]> {
    const rows = await ctx.loaders.renditionsByClip.load(clip.dbId);
    return rows.map((row) => toRendition(row, clip.productionId));
  }

  @FieldResolver(() => Rendition, {
    nullable: true,
    description: 'One rendition by name, e.g. proxy:review, thumbnail.',
  })
  @Gate({ action: 'read', from: 'parent' })
  async rendition(
    @Root() clip: Clip,
    @Arg('name', () => String) name: string,
    @Ctx() ctx: Context,
  ): Promise<Rendition | null> {
    const rows: RenditionRow[] = await ctx.loaders.renditionsByClip.load(clip.dbId);
    const row = rows.find((r) => r.name === name);
    return row ? toRendition(row, clip.productionId) : null;
  }

  @FieldResolver(() => [Task], { description: 'Processing steps, oldest first.' })
  @Gate({ action: 'read', from: 'parent' })
  async tasks(@Root() clip: Clip, @Ctx() ctx: Context): Promise<Task[]> {
    const rows: TaskRow[] = await ctx.loaders.tasksByClip.load(clip.dbId);
    return rows.map((row) => toTask(row, clip.productionId));
  }
}

@Resolver(() => Production)
export class ProductionClipsResolver {
  @FieldResolver(() => ClipConnection, { description: 'Clips of the production, filtered and sorted.' })
  @Gate({ action: 'read', from: 'parent' })
  clips(
    @Root() production: Production,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Arg('filter', () => ClipFilter, { nullable: true }) filter?: ClipFilter,
    @Arg('orderBy', () => ClipOrder, { nullable: true }) orderBy?: ClipOrder,
  ) {
    return listClips(ctx, { productionId: production.dbId, filter, orderBy, page });
  }
}

@Resolver(() => Roll)
export class RollClipsResolver {
  @FieldResolver(() => ClipConnection, { description: 'Clips of the roll, filtered and sorted.' })
  @Gate({ action: 'read', from: 'parent' })
  clips(
    @Root() roll: Roll,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Arg('filter', () => ClipFilter, { nullable: true }) filter?: ClipFilter,
    @Arg('orderBy', () => ClipOrder, { nullable: true }) orderBy?: ClipOrder,
  ) {
    return listClips(ctx, { productionId: roll.productionId, rollId: roll.dbId, filter, orderBy, page });
  }
}
