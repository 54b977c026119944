import { recordAudit } from '@rushes/data/audit';
import {
  createProduction,
  listProductions,
  productionByCode,
  updateProduction,
} from '@rushes/data/productions';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { roleIn, withRole } from '../../auth/access.ts';
import { authorize, Gate, permits, person, readable } from '../../auth/gate.ts';
import { production, SELF, type ProductionAction } from '../../auth/policy.ts';
import { fromGlobalId } from '../../auth/ids.ts';
import { reachable } from '../../auth/reachable.ts';
import type { Context } from '../../context.ts';
import { badInput, conflict, isUniqueViolation } from '../../graphql/errors.ts';
import { PageArgs, readPage, toConnection } from '../../graphql/relay.ts';
import { auditRow, withTransaction } from '../../transaction.ts';
import { ProcessingCounts, toCounts } from '../roll/counts.type.ts';
import { CreateProductionInput, UpdateProductionInput } from './production.input.ts';
import { checkNewProduction, checkProductionChanges } from './production.rules.ts';
import { Production, ProductionConnection, Role, toProduction } from './production.type.ts';

/** The production a global id names, if the caller may do `action` there (else NOT_FOUND / FORBIDDEN). */
export async function productionFor(
  ctx: Context,
  globalId: string,
  action: ProductionAction = 'read',
): Promise<Production> {
  const row = await reachable(
    ctx,
    globalId,
    { type: 'Production', what: 'production', field: 'productionId' },
    (id) => ctx.loaders.production.load(id),
    (production) => production.id,
    action,
  );
  return toProduction(row);
}

@Resolver(() => Production)
export class ProductionResolver {
  @Query(() => ProductionConnection, {
    description: 'Productions you are a member of (all, for an admin), newest first.',
  })
  @Gate({ action: 'read', from: 'arguments' })
  async productions(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    const visible = readable(ctx);
    const page = readPage(args);
    if (visible !== 'all' && visible.length === 0) return toConnection([], page, 0);
    const { rows, total } = await listProductions(ctx.deps.db, visible, page);
    return toConnection(rows.map(toProduction), page, total);
  }

  @Query(() => Production, { nullable: true, description: 'One production, by global id or by code.' })
  @Gate({ action: 'read', from: 'arguments' })
  async production(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true }) id?: string,
    @Arg('code', () => String, { nullable: true }) code?: string,
  ): Promise<Production | null> {
    authorize(ctx, 'browse', SELF);
    if (!id === !code) throw badInput('Give either id or code.', id ? 'code' : 'id');
    if (id) {
      const decoded = fromGlobalId(id);
      if (decoded?.type !== 'Production' || !permits(ctx, 'read', production(decoded.id))) return null;
      const row = await ctx.loaders.production.load(decoded.id);
      return row ? toProduction(row) : null;
    }
    const row = await productionByCode(ctx.deps.db, code!.trim());
    return row && permits(ctx, 'read', production(row.id)) ? toProduction(row) : null;
  }

  @FieldResolver(() => Role, { nullable: true, description: 'Your role here (owner for an admin).' })
  @Gate({ derived: "the caller's own role, from their access" })
  role(@Root() production: Production, @Ctx() ctx: Context): Role | null {
    return (roleIn(ctx.access, production.dbId) as Role | undefined) ?? null;
  }

  @FieldResolver(() => ProcessingCounts, {
    description: 'Clips by state and the storage their originals take.',
  })
  @Gate({ action: 'read', from: 'parent' })
  async counts(@Root() production: Production, @Ctx() ctx: Context): Promise<ProcessingCounts> {
    return toCounts(await ctx.loaders.countsByProduction.load(production.dbId));
  }

  @Mutation(() => Production, {
    description: 'Creates a production with you as its owner; a worker then sets it up and marks it ready.',
  })
  @Gate({ action: 'act-as-person', from: 'self' })
  async createProduction(
    @Arg('input', () => CreateProductionInput) input: CreateProductionInput,
    @Ctx() ctx: Context,
  ): Promise<Production> {
    const userId = person(ctx);
    const checked = checkNewProduction(input);
    if (!checked.ok) throw badInput(checked.message, checked.field);
    try {
      const row = await withTransaction(ctx.deps.pool, async (tx, client) => {
        const row = await createProduction(tx, checked.value, userId);
        await recordAudit(
          tx,
          auditRow(ctx.access, {
            productionId: row.id,
            action: 'production.created',
            subjectType: 'production',
            subjectId: row.id,
            data: { name: row.name, code: row.code },
          }),
        );
        await ctx.deps.queue.send(client, 'production.setup', { productionId: row.id });
        return row;
      });
      // The creator is its owner from now on, for the rest of this request too.
      ctx.access = withRole(ctx.access, row.id, 'owner');
      return toProduction(row);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict(`A production with code ${checked.value.code} already exists.`, 'code');
      }
      throw error;
    }
  }

  @Mutation(() => Production, {
    description:
      'Changes name, frame rate, proxy profiles or colour pipeline (coordinator or owner). New settings apply to clips processed from now on; use reprocessClips for the others.',
  })
  @Gate({ action: 'configure', from: 'arguments' })
  async updateProduction(
    @Arg('input', () => UpdateProductionInput) input: UpdateProductionInput,
    @Ctx() ctx: Context,
  ): Promise<Production> {
    const production = await productionFor(ctx, input.id, 'configure');
    const checked = checkProductionChanges(input);
    if (!checked.ok) throw badInput(checked.message, checked.field);
    if (Object.keys(checked.value).length === 0) return production;
    const row = await withTransaction(ctx.deps.pool, async (tx) => {
      const row = await updateProduction(tx, production.dbId, checked.value);
      await recordAudit(
        tx,
        auditRow(ctx.access, {
          productionId: production.dbId,
          action: 'production.updated',
          subjectType: 'production',
          subjectId: production.dbId,
          data: checked.value,
        }),
      );
      return row!;
    });
    return toProduction(row);
  }
}
