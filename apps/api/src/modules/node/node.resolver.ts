/**
 * `node(id)`: any object by its global id — scoped like every other path: an object in a
 * production the caller cannot read is reported as absent (null), exactly like an unknown id.
 */
import { findImportRoot } from '@rushes/data/import-roots';
import { findManifest } from '@rushes/data/manifests';
import { findRendition } from '@rushes/data/renditions';
import { findTask } from '@rushes/data/tasks';
import { findAuditEvent } from '@rushes/data/audit';
import { findMember } from '@rushes/data/members';
import { findApiKey } from '@rushes/data/api-keys';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { authorize, Gate, permits } from '../../auth/gate.ts';
import { INSTANCE, production, SELF, type ProductionAction } from '../../auth/policy.ts';
import { fromGlobalId } from '../../auth/ids.ts';
import type { Context } from '../../context.ts';
import { Node } from '../../graphql/relay.ts';
import { toApiKey } from '../apikey/apikey.type.ts';
import { toAuditEvent } from '../audit/audit.type.ts';
import { toClip } from '../clip/clip.type.ts';
import { toImportRoot } from '../import-root/import-root.type.ts';
import { toManifest } from '../manifest/manifest.type.ts';
import { toMember } from '../member/member.type.ts';
import { toProduction } from '../production/production.type.ts';
import { toRendition } from '../rendition/rendition.type.ts';
import { toRoll } from '../roll/roll.type.ts';
import { toTask } from '../task/task.type.ts';

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: 'Any object by its global id; null when it does not exist or is not yours to see.',
  })
  @Gate({ action: 'read', from: 'arguments' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    authorize(ctx, 'browse', SELF);
    const decoded = fromGlobalId(id);
    if (!decoded) return null;
    const visible = <T>(
      productionId: string | null | undefined,
      value: T,
      action: ProductionAction = 'read',
    ) => (productionId && permits(ctx, action, production(productionId)) ? value : null);
    const { loaders } = ctx;
    const { db } = ctx.deps;
    switch (decoded.type) {
      case 'Production': {
        const row = await loaders.production.load(decoded.id);
        return row ? visible(row.id, toProduction(row)) : null;
      }
      case 'Roll': {
        const row = await loaders.roll.load(decoded.id);
        return row ? visible(row.productionId, toRoll(row)) : null;
      }
      case 'Clip': {
        const row = await loaders.clip.load(decoded.id);
        return row ? visible(row.productionId, toClip(row)) : null;
      }
      case 'Rendition': {
        const row = await findRendition(db, decoded.id);
        const clip = row && (await loaders.clip.load(row.clipId));
        return row && clip ? visible(clip.productionId, toRendition(row, clip.productionId)) : null;
      }
      case 'Task': {
        const row = await findTask(db, decoded.id);
        const clip = row && (await loaders.clip.load(row.clipId));
        return row && clip ? visible(clip.productionId, toTask(row, clip.productionId)) : null;
      }
      case 'Manifest': {
        const row = await findManifest(db, decoded.id);
        const roll = row && (await loaders.roll.load(row.rollId));
        return row && roll ? visible(roll.productionId, toManifest(row, roll.productionId)) : null;
      }
      case 'Member': {
        const [productionId, userId] = decoded.id.split(':') as [string, string];
        if (!permits(ctx, 'oversee', production(productionId))) return null;
        const row = await findMember(db, productionId, userId);
        return row ? toMember(row) : null;
      }
      case 'ApiKey': {
        const row = await findApiKey(db, decoded.id);
        const owned =
          row &&
          row.productionIds.length > 0 &&
          row.productionIds.every((p) => permits(ctx, 'administer', production(p)));
        return owned ? toApiKey(row) : null;
      }
      case 'AuditEvent': {
        const row = await findAuditEvent(db, Number(decoded.id));
        return row ? visible(row.productionId, toAuditEvent(row), 'oversee') : null;
      }
      case 'ImportRoot': {
        if (!permits(ctx, 'manage-import-roots', INSTANCE)) return null;
        const row = await findImportRoot(db, decoded.id);
        return row ? toImportRoot(row) : null;
      }
    }
  }
}
