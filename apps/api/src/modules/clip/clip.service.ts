/** Listing clips under the caller's access, with filters, sorts and pages. */
import { listClips as listClipRows } from '@rushes/data/clips';
import { FilterError } from '@rushes/data/clip-filter';
import { rollIdsInProduction } from '@rushes/data/rolls';
import { authorize } from '../../auth/gate.ts';
import { production } from '../../auth/policy.ts';
import { fromGlobalId } from '../../auth/ids.ts';
import type { Context } from '../../context.ts';
import { badInput } from '../../graphql/errors.ts';
import { readPageSize, toConnection, toKeysetConnection, type PageArgs } from '../../graphql/relay.ts';
import type { ClipFilter, ClipOrder } from './clip.input.ts';
import { toClip } from './clip.type.ts';

export interface ClipQuery {
  productionId: string;
  filter?: ClipFilter | null | undefined;
  orderBy?: ClipOrder | null | undefined;
  page: PageArgs;
  /** Already checked: a roll of the production. */
  rollId?: string;
}

/** The roll ids of a filter, decoded and checked to belong to the production. */
async function filterRolls(ctx: Context, productionId: string, rollIds: string[]): Promise<string[]> {
  const ids = rollIds.map((gid) => {
    const decoded = fromGlobalId(gid);
    if (decoded?.type !== 'Roll') throw badInput(`"${gid}" is not a roll id.`, 'rollIds');
    return decoded.id;
  });
  return rollIdsInProduction(ctx.deps.db, productionId, ids);
}

export async function listClips(ctx: Context, query: ClipQuery) {
  authorize(ctx, 'read', production(query.productionId));
  const limit = readPageSize(query.page);
  const filter = query.filter ?? {};
  let rollIds = query.rollId ? [query.rollId] : undefined;
  if (filter.rollIds) {
    const wanted = await filterRolls(ctx, query.productionId, filter.rollIds);
    rollIds = rollIds ? rollIds.filter((id) => wanted.includes(id)) : wanted;
  }
  if (rollIds?.length === 0) return toConnection([], { offset: 0, limit }, 0);
  let found;
  try {
    found = await listClipRows(ctx.deps.db, {
      productionId: query.productionId,
      rollIds,
      filter,
      order: query.orderBy ?? undefined,
      page: { limit, after: query.page.after },
    });
  } catch (error) {
    if (error instanceof FilterError) throw badInput(error.message, error.field);
    throw error;
  }
  for (const row of found.rows) ctx.loaders.clip.prime(row.id, row);
  return toKeysetConnection(found.rows.map(toClip), found.cursors, !!query.page.after, found);
}
