/** Listing clips under the caller's access, with filters, sorts and pages. */
import { clips, rolls } from '@rushes/schema/tables';
import { eq, inArray, sql } from 'drizzle-orm';
import { authorize } from '../../auth/gate.ts';
import { production } from '../../auth/policy.ts';
import { fromGlobalId } from '../../auth/ids.ts';
import type { Context } from '../../context.ts';
import { badInput } from '../../graphql/errors.ts';
import { readPage, toConnection, type PageArgs } from '../../graphql/relay.ts';
import { andAll, clipConditions, clipOrder } from './clip.filter.ts';
import type { ClipFilter, ClipOrder } from './clip.input.ts';
import { clipColumns, toClip } from './clip.type.ts';

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
  if (ids.length === 0) return [];
  const found = await ctx.deps.db
    .select({ id: rolls.id })
    .from(rolls)
    .where(sql`${inArray(rolls.id, ids)} and ${eq(rolls.productionId, productionId)}`);
  return found.map((r) => r.id);
}

export async function listClips(ctx: Context, query: ClipQuery) {
  authorize(ctx, 'read', production(query.productionId));
  const page = readPage(query.page);
  const filter = query.filter ?? {};
  let rollIds = query.rollId ? [query.rollId] : undefined;
  if (filter.rollIds) {
    const wanted = await filterRolls(ctx, query.productionId, filter.rollIds);
    rollIds = rollIds ? rollIds.filter((id) => wanted.includes(id)) : wanted;
  }
  if (rollIds?.length === 0) return toConnection([], page, 0);
  const where = andAll([eq(clips.productionId, query.productionId), ...clipConditions(filter, rollIds)]);
  const order = clipOrder(query.orderBy?.field ?? 'NAME', query.orderBy?.direction ?? 'ASC');
  const [rows, [count]] = await Promise.all([
    ctx.deps.db
      .select(clipColumns)
      .from(clips)
      .where(where)
      .orderBy(...order)
      .limit(page.limit)
      .offset(page.offset),
    ctx.deps.db
      .select({ n: sql<number>`count(*)::int` })
      .from(clips)
      .where(where),
  ]);
  for (const row of rows) ctx.loaders.clip.prime(row.id, row);
  return toConnection(rows.map(toClip), page, count?.n ?? 0);
}
