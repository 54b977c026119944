import { LANES, renderTaskKind } from '@rushes/schema/jobs';
import {
  PROXY_PROFILE_IDS,
  PROXY_PROFILES,
  needsPicture,
  type ProxyProfileId,
} from '@rushes/schema/profiles';
import { recordAudit } from '@rushes/data/audit';
import { deleteClip, findClips } from '@rushes/data/clips';
import { Arg, Ctx, ID, Mutation, Resolver, registerEnumType } from 'type-graphql';
import { authorize, Gate } from '../../auth/gate.ts';
import { production, SELF } from '../../auth/policy.ts';
import { fromGlobalId } from '../../auth/ids.ts';
import type { Context } from '../../context.ts';
import { badInput } from '../../graphql/errors.ts';
import { auditRow, withTransaction } from '../../transaction.ts';
import { settleClip, settleRoll } from '@rushes/data/states';
import { queueTask } from '@rushes/data/tasks';
import { clipFor } from './clip.resolver.ts';
import { Clip, toClip } from './clip.type.ts';

/** The GraphQL enum of proxy profiles, built from the registry (@rushes/schema/profiles). */
export const RenderProfile = Object.fromEntries(PROXY_PROFILE_IDS.map((id) => [id, id])) as {
  [Id in ProxyProfileId]: Id;
};
export type RenderProfile = ProxyProfileId;
registerEnumType(RenderProfile, {
  name: 'RenderProfile',
  description: 'A proxy profile: what a render makes (each value says).',
  valuesConfig: Object.fromEntries(PROXY_PROFILES.map((p) => [p.id, { description: p.label }])),
});

export const MAX_REPROCESS = 1000;

@Resolver()
export class ClipMutationResolver {
  @Mutation(() => [Clip], {
    description: `Renders clips again with the production's current settings, in the reprocess lane (behind fresh ingest). Up to ${MAX_REPROCESS} clips; coordinator or owner.`,
  })
  @Gate({ action: 'ingest', from: 'arguments' })
  async reprocessClips(
    @Arg('ids', () => [ID]) ids: string[],
    @Arg('profile', () => RenderProfile) profile: RenderProfile,
    @Ctx() ctx: Context,
  ): Promise<Clip[]> {
    authorize(ctx, 'browse', SELF);
    if (ids.length === 0 || ids.length > MAX_REPROCESS) {
      throw badInput(`Give 1–${MAX_REPROCESS} clip ids; got ${ids.length}.`, 'ids');
    }
    const dbIds = [...new Set(ids)].map((id) => {
      const decoded = fromGlobalId(id);
      if (decoded?.type !== 'Clip') throw badInput(`"${id}" is not a clip id.`, 'ids');
      return decoded.id;
    });
    const rows = await findClips(ctx.deps.db, dbIds);
    if (rows.length !== dbIds.length) throw badInput('Some of those clips do not exist.', 'ids');
    for (const row of rows) authorize(ctx, 'ingest', production(row.productionId, 'clip'));
    const unprobed = rows.find((row) => !row.metadata);
    if (unprobed) {
      throw badInput(`${unprobed.fileName} has not been probed yet; it is rendered once it has.`, 'ids');
    }
    if (needsPicture(profile) && rows.some((row) => !row.width)) {
      throw badInput(`The ${profile} proxy needs a picture; sound clips have none.`, 'profile');
    }
    const kind = renderTaskKind(profile);
    const updated = await withTransaction(ctx.deps.pool, async (tx, client) => {
      const result = [];
      for (const row of rows) {
        await queueTask(tx, row.id, kind);
        const clip = await settleClip(tx, row.id);
        await ctx.deps.queue.send(
          client,
          'clip.render',
          { clipId: row.id, lane: 'reprocess', output: profile },
          { priority: LANES.reprocess },
        );
        result.push(clip);
      }
      // Once per roll, after all its clips moved.
      for (const rollId of new Set(rows.map((r) => r.rollId))) await settleRoll(tx, rollId);
      await recordAudit(
        tx,
        [...new Set(rows.map((r) => r.productionId))].map((productionId) =>
          auditRow(ctx.access, {
            productionId,
            action: 'clips.reprocess_requested',
            subjectType: 'production',
            subjectId: productionId,
            data: { profile, clips: rows.filter((r) => r.productionId === productionId).length },
          }),
        ),
      );
      return result;
    });
    return updated.map(toClip);
  }

  @Mutation(() => ID, {
    description:
      'Deletes a clip, its renditions, tasks and stored files (coordinator or owner). Returns its id.',
  })
  @Gate({ action: 'ingest', from: 'arguments' })
  async deleteClip(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    const clip = await clipFor(ctx, id, 'ingest');
    const keys = await withTransaction(ctx.deps.pool, async (tx) => {
      const renditionKeys = await deleteClip(tx, clip.dbId);
      await settleRoll(tx, clip.rollId);
      await recordAudit(
        tx,
        auditRow(ctx.access, {
          productionId: clip.productionId,
          action: 'clip.deleted',
          subjectType: 'clip',
          subjectId: clip.dbId,
          data: {
            fileName: clip.fileName,
            originalPath: clip.originalPath,
            checksums: Object.fromEntries(clip.checksums.map((c) => [c.algorithm, c.value])),
          },
        }),
      );
      return [clip.objectKey, ...renditionKeys].filter((key): key is string => !!key);
    });
    // After the commit: a failed delete leaves an unreachable object (logged), never a row
    // pointing at a missing file.
    for (const key of keys) {
      await ctx.deps.store
        .delete(key)
        .catch((error: unknown) =>
          ctx.log.error({ err: error, key }, 'could not delete an object of a deleted clip'),
        );
    }
    return id;
  }
}
