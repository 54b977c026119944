import { DEFAULT_PROXY_PROFILE, isProxyProfileId } from '@rushes/schema/profiles';
import { recordAudit } from '@rushes/data/audit';
import { clipIdsInRoll, clipsOfRoll as clipRowsOfRoll } from '@rushes/data/clips';
import { createRoll, listRolls as listRollRows, rollByName, type NewRoll } from '@rushes/data/rolls';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Gate } from '../../auth/gate.ts';
import type { ProductionAction } from '../../auth/policy.ts';
import { fromGlobalId } from '../../auth/ids.ts';
import { reachable } from '../../auth/reachable.ts';
import type { Context } from '../../context.ts';
import { exportLink, MAX_LINK_CLIPS, type ExportFormat, type LinkOptions } from '../../exports/links.ts';
import { aleRates } from '../../exports/roll-export.ts';
import { badInput, conflict, isUniqueViolation } from '../../graphql/errors.ts';
import { PageArgs, readPage, toConnection } from '../../graphql/relay.ts';
import { auditRow, withTransaction } from '../../transaction.ts';
import { Manifest, toManifest } from '../manifest/manifest.type.ts';
import { productionFor } from '../production/production.resolver.ts';
import { Production, toProduction } from '../production/production.type.ts';
import { ProcessingCounts, toCounts } from './counts.type.ts';
import { CreateRollInput, ImportRollInput } from './roll.input.ts';
import { authorizedLocation } from '../import-root/import-root.resolver.ts';
import { checkRollName, checkShootDay } from './roll.rules.ts';
import { AleExport, Roll, RollConnection, RollKind, toRoll } from './roll.type.ts';

/** The roll a global id names, if the caller may do `action` in its production. */
export async function rollFor(
  ctx: Context,
  globalId: string,
  action: ProductionAction = 'read',
): Promise<Roll> {
  const row = await reachable(
    ctx,
    globalId,
    { type: 'Roll', what: 'roll', field: 'rollId' },
    (id) => ctx.loaders.roll.load(id),
    (roll) => roll.productionId,
    action,
  );
  return toRoll(row);
}

/** The uuids of a selection of the roll's clips; BAD_USER_INPUT naming what is not one. */
async function clipsOfRoll(ctx: Context, roll: Roll, clipIds: string[]): Promise<string[]> {
  if (clipIds.length === 0 || clipIds.length > MAX_LINK_CLIPS)
    throw badInput(`clipIds must name 1 to ${MAX_LINK_CLIPS} clips; got ${clipIds.length}.`, 'clipIds');
  const ids = [...new Set(clipIds)].map((globalId) => {
    const id = fromGlobalId(globalId);
    if (id?.type !== 'Clip') throw badInput(`"${globalId}" is not a clip id.`, 'clipIds');
    return id.id;
  });
  const found = await clipIdsInRoll(ctx.deps.db, roll.dbId, ids);
  if (found.length !== ids.length)
    throw badInput(
      `${ids.length - found.length} of the clipIds are not clips of roll ${roll.name}.`,
      'clipIds',
    );
  return ids;
}

async function listRolls(ctx: Context, productionId: string, args: PageArgs, kind?: RollKind | null) {
  const page = readPage(args);
  const { rows, total } = await listRollRows(ctx.deps.db, productionId, page, kind);
  for (const row of rows) ctx.loaders.roll.prime(row.id, row);
  return toConnection(rows.map(toRoll), page, total);
}

/**
 * Creates the roll with its audit event — and, for an import, its `roll.import` job — in one
 * transaction; a taken name is a CONFLICT.
 */
async function insertRoll(ctx: Context, values: NewRoll, code: string) {
  try {
    return await withTransaction(ctx.deps.pool, async (tx, client) => {
      const row = await createRoll(tx, values);
      await recordAudit(
        tx,
        auditRow(ctx.access, {
          productionId: values.productionId,
          action: values.sourceLocation ? 'roll.import_requested' : 'roll.created',
          subjectType: 'roll',
          subjectId: row.id,
          data: { name: values.name, ...(values.sourceLocation ? { location: values.sourceLocation } : {}) },
        }),
      );
      if (values.sourceLocation) {
        await ctx.deps.queue.send(client, 'roll.import', {
          rollId: row.id,
          location: values.sourceLocation,
        });
      }
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`Roll ${values.name} already exists in ${code}.`, 'name');
    throw error;
  }
}

@Resolver(() => Roll)
export class RollResolver {
  @Query(() => RollConnection, { description: "A production's rolls: latest shoot day first, then by name." })
  @Gate({ action: 'read', from: 'arguments' })
  async rolls(
    @Arg('productionId', () => ID) productionId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Arg('kind', () => RollKind, { nullable: true }) kind?: RollKind,
  ) {
    const production = await productionFor(ctx, productionId);
    return listRolls(ctx, production.dbId, page, kind);
  }

  @FieldResolver(() => Production)
  @Gate({ action: 'read', from: 'parent' })
  async production(@Root() roll: Roll, @Ctx() ctx: Context): Promise<Production> {
    return toProduction((await ctx.loaders.production.load(roll.productionId))!);
  }

  @FieldResolver(() => ProcessingCounts, { description: 'Clips by state and overall progress.' })
  @Gate({ action: 'read', from: 'parent' })
  async progress(@Root() roll: Roll, @Ctx() ctx: Context): Promise<ProcessingCounts> {
    return toCounts(await ctx.loaders.countsByRoll.load(roll.dbId));
  }

  @FieldResolver(() => [Manifest], { description: 'The MHL manifests that came with the card.' })
  @Gate({ action: 'read', from: 'parent' })
  async manifests(@Root() roll: Roll, @Ctx() ctx: Context): Promise<Manifest[]> {
    const rows = await ctx.loaders.manifestsByRoll.load(roll.dbId);
    return rows.map((row) => toManifest(row, roll.productionId));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The roll as an Avid Log Exchange file (link valid 15 minutes). An ALE holds one frame rate: for a roll shot at several, the link answers 409 naming them — use aleExports.',
  })
  @Gate({ action: 'export', from: 'parent', otherwise: 'null' })
  aleUrl(@Root() roll: Roll, @Ctx() ctx: Context): string {
    return this.link(roll, ctx, 'ale');
  }

  @FieldResolver(() => [AleExport], {
    nullable: true,
    description:
      "One ALE per frame rate of the roll's clips (links valid 15 minutes). Clips without a start timecode or a rate (failed verification, stills) are in none; the CSV lists every clip.",
  })
  @Gate({ action: 'export', from: 'parent', otherwise: 'null' })
  async aleExports(@Root() roll: Roll, @Ctx() ctx: Context): Promise<AleExport[]> {
    const clips = await clipRowsOfRoll(ctx.deps.db, roll.dbId);
    return aleRates(clips).map(({ rate, clips: count }) => ({
      rate,
      clips: count,
      url: this.link(roll, ctx, 'ale', { rate }),
    }));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The same rows as CSV (link valid 15 minutes).',
  })
  @Gate({ action: 'export', from: 'parent', otherwise: 'null' })
  csvUrl(@Root() roll: Roll, @Ctx() ctx: Context): string {
    return this.link(roll, ctx, 'csv');
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The roll's ready proxies of one profile as a zip, streamed (link valid 15 minutes); with clipIds, only those clips'.",
  })
  @Gate({ action: 'export', from: 'parent', otherwise: 'null' })
  async proxiesZipUrl(
    @Root() roll: Roll,
    @Ctx() ctx: Context,
    @Arg('profile', () => String, { defaultValue: DEFAULT_PROXY_PROFILE }) profile: string,
    @Arg('clipIds', () => [ID], {
      nullable: true,
      description: `Only these clips of the roll (at most ${MAX_LINK_CLIPS}).`,
    })
    clipIds?: string[] | null,
  ): Promise<string | null> {
    if (!isProxyProfileId(profile)) throw badInput(`Unknown proxy profile "${profile}".`, 'profile');
    const clips = clipIds ? await clipsOfRoll(ctx, roll, clipIds) : undefined;
    return this.link(roll, ctx, 'zip', { profile, clips });
  }

  /** Signed for whoever holds it: minted only behind the gate of the fields above (export). */
  private link(roll: Roll, ctx: Context, format: ExportFormat, options?: LinkOptions): string {
    return exportLink(ctx.deps.signingSecret, ctx.deps.publicUrl, roll.dbId, format, options);
  }

  @Mutation(() => Roll, { description: 'An empty roll to upload a card into (coordinator or owner).' })
  @Gate({ action: 'ingest', from: 'arguments' })
  async createRoll(
    @Arg('input', () => CreateRollInput) input: CreateRollInput,
    @Ctx() ctx: Context,
  ): Promise<Roll> {
    const production = await productionFor(ctx, input.productionId, 'ingest');
    const name = checkRollName(input.name);
    return toRoll(
      await insertRoll(
        ctx,
        {
          productionId: production.dbId,
          name,
          kind: input.kind ?? 'camera',
          cameraUnit: input.cameraUnit?.trim() || null,
          shootDay: checkShootDay(input.shootDay),
        },
        production.code,
      ),
    );
  }

  @Mutation(() => Roll, {
    description:
      'Imports a card from a folder the workers can read or an s3:// prefix; a worker copies and verifies it. The roll is returned at once (state pending) and fills as the import runs.',
  })
  @Gate({ action: 'ingest', from: 'arguments' })
  async importRoll(
    @Arg('input', () => ImportRollInput) input: ImportRollInput,
    @Ctx() ctx: Context,
  ): Promise<Roll> {
    const production = await productionFor(ctx, input.productionId, 'ingest');
    const name = checkRollName(input.name);
    const location = await authorizedLocation(ctx, input.location, production.dbId);
    return toRoll(
      await insertRoll(
        ctx,
        {
          productionId: production.dbId,
          name,
          sourceLocation: location,
          shootDay: checkShootDay(input.shootDay),
        },
        production.code,
      ),
    );
  }
}

@Resolver(() => Production)
export class ProductionRollsResolver {
  @FieldResolver(() => RollConnection)
  @Gate({ action: 'read', from: 'parent' })
  rolls(
    @Root() production: Production,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
    @Arg('kind', () => RollKind, { nullable: true }) kind?: RollKind,
  ) {
    return listRolls(ctx, production.dbId, page, kind);
  }

  @FieldResolver(() => Roll, {
    nullable: true,
    description: 'The roll of that name, if there is one (names are unique in a production).',
  })
  @Gate({ action: 'read', from: 'parent' })
  async roll(
    @Root() production: Production,
    @Arg('name', () => String) name: string,
    @Ctx() ctx: Context,
  ): Promise<Roll | null> {
    const row = await rollByName(ctx.deps.db, production.dbId, name.trim());
    if (!row) return null;
    ctx.loaders.roll.prime(row.id, row);
    return toRoll(row);
  }
}
