/**
 * Import roots, kept by administrators: where `importRoll` may read cards from. The check itself
 * is `@rushes/storage`'s import-roots policy, used here and again by the worker before it reads.
 */
import {
  checkImportLocation,
  checkImportRoot,
  formatImportLocation,
  ImportLocationError,
  readMounts,
} from '@rushes/storage';
import { recordAudit } from '@rushes/data/audit';
import {
  createImportRoot,
  deleteImportRoot,
  importRootGrants,
  listImportRoots,
  updateImportRoot,
} from '@rushes/data/import-roots';
import { findProductions } from '@rushes/data/productions';
import { GraphQLError } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Gate } from '../../auth/gate.ts';
import { fromGlobalId } from '../../auth/ids.ts';
import type { Context } from '../../context.ts';
import { badInput, conflict, isUniqueViolation } from '../../graphql/errors.ts';
import { auditRow, withTransaction } from '../../transaction.ts';
import { Production } from '../production/production.type.ts';
import { ImportRoot, ImportRootInput, toImportRoot } from './import-root.type.ts';

/** An ImportLocationError as the caller's error: BAD_USER_INPUT or FORBIDDEN, with its code. */
export function locationError(error: unknown, field: string): unknown {
  if (!(error instanceof ImportLocationError)) return error;
  return new GraphQLError(error.message, {
    extensions: {
      code: error.code === 'BAD_LOCATION' ? 'BAD_USER_INPUT' : 'FORBIDDEN',
      reason: error.code,
      field,
    },
  });
}

/**
 * Checks that `productionId` may import `location` (api side: the folder is resolved when this
 * machine sees it); returns the canonical location to store. Throws a caller's error otherwise.
 */
export async function authorizedLocation(
  ctx: Context,
  location: string,
  productionId: string,
): Promise<string> {
  try {
    const roots = await importRootGrants(ctx.deps.db);
    const checked = await checkImportLocation(location, productionId, roots, ctx.deps.protectedPlaces, {
      mounts: await readMounts(),
    });
    return formatImportLocation(checked.location);
  } catch (error) {
    throw locationError(error, 'location');
  }
}

async function productionUuids(ctx: Context, ids: readonly string[] | null | undefined): Promise<string[]> {
  const uuids = [...new Set(ids ?? [])].map((globalId) => {
    const id = fromGlobalId(globalId);
    if (id?.type !== 'Production') throw badInput(`"${globalId}" is not a production id.`, 'productionIds');
    return id.id;
  });
  if (uuids.length === 0) return [];
  const found = await findProductions(ctx.deps.db, uuids);
  if (found.length !== uuids.length)
    throw badInput(
      `${uuids.length - found.length} of the productionIds name no production.`,
      'productionIds',
    );
  return uuids;
}

function rootId(globalId: string): string {
  const id = fromGlobalId(globalId);
  if (id?.type !== 'ImportRoot') throw badInput(`"${globalId}" is not an import root id.`, 'id');
  return id.id;
}

async function values(ctx: Context, input: ImportRootInput) {
  let location: string;
  try {
    location = formatImportLocation(
      await checkImportRoot(input.location, ctx.deps.protectedPlaces, await readMounts()),
    );
  } catch (error) {
    throw locationError(error, 'location');
  }
  const description = (input.description ?? '').trim();
  if (description.length > 200)
    throw badInput('The description is longer than 200 characters.', 'description');
  return { location, description, productionIds: await productionUuids(ctx, input.productionIds) };
}

@Resolver(() => ImportRoot)
export class ImportRootResolver {
  @Query(() => [ImportRoot], { description: 'Every import root (instance administrators).' })
  @Gate({ action: 'manage-import-roots', from: 'instance' })
  async importRoots(@Ctx() ctx: Context): Promise<ImportRoot[]> {
    const rows = await listImportRoots(ctx.deps.db);
    return rows.map(toImportRoot);
  }

  @Mutation(() => ImportRoot, {
    description:
      "Opens a server folder or S3 prefix for importRoll (instance administrators). The platform's own store, data folder, installation and system folders are refused.",
  })
  @Gate({ action: 'manage-import-roots', from: 'instance' })
  async addImportRoot(
    @Arg('input', () => ImportRootInput) input: ImportRootInput,
    @Ctx() ctx: Context,
  ): Promise<ImportRoot> {
    const row = await values(ctx, input);
    try {
      return toImportRoot(
        await withTransaction(ctx.deps.pool, async (tx) => {
          const created = await createImportRoot(tx, { ...row, createdBy: ctx.access.userId ?? null });
          await recordAudit(
            tx,
            auditRow(ctx.access, {
              productionId: null,
              action: 'import_root.added',
              subjectType: 'import_root',
              subjectId: created.id,
              data: { location: row.location, productionIds: row.productionIds },
            }),
          );
          return created;
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`${row.location} is already an import root.`, 'location');
      throw error;
    }
  }

  @Mutation(() => ImportRoot, {
    description: "Changes an import root's location, description or productions.",
  })
  @Gate({ action: 'manage-import-roots', from: 'instance' })
  async updateImportRoot(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ImportRootInput) input: ImportRootInput,
    @Ctx() ctx: Context,
  ): Promise<ImportRoot> {
    const dbId = rootId(id);
    const row = await values(ctx, input);
    try {
      const updated = await withTransaction(ctx.deps.pool, async (tx) => {
        const changed = await updateImportRoot(tx, dbId, row);
        if (!changed) return undefined;
        await recordAudit(
          tx,
          auditRow(ctx.access, {
            productionId: null,
            action: 'import_root.updated',
            subjectType: 'import_root',
            subjectId: dbId,
            data: { location: row.location, productionIds: row.productionIds },
          }),
        );
        return changed;
      });
      if (!updated)
        throw new GraphQLError('No import root with that id.', { extensions: { code: 'NOT_FOUND' } });
      return toImportRoot(updated);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`${row.location} is already an import root.`, 'location');
      throw error;
    }
  }

  @Mutation(() => Boolean, {
    description: 'Closes an import root: imports already running finish; new ones from it are refused.',
  })
  @Gate({ action: 'manage-import-roots', from: 'instance' })
  async removeImportRoot(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const dbId = rootId(id);
    return withTransaction(ctx.deps.pool, async (tx) => {
      const removed = await deleteImportRoot(tx, dbId);
      if (!removed) return false;
      await recordAudit(
        tx,
        auditRow(ctx.access, {
          productionId: null,
          action: 'import_root.removed',
          subjectType: 'import_root',
          subjectId: dbId,
          data: { location: removed.location },
        }),
      );
      return true;
    });
  }
}

@Resolver(() => Production)
export class ProductionImportRootsResolver {
  @FieldResolver(() => [String], {
    description:
      'Where cards can be imported from for this production (importRoll locations must lie inside one); coordinators and owners.',
  })
  @Gate({ action: 'ingest', from: 'parent' })
  async importLocations(@Root() production: Production, @Ctx() ctx: Context): Promise<string[]> {
    const rows = await importRootGrants(ctx.deps.db);
    return rows
      .filter((r) => r.productionIds.length === 0 || r.productionIds.includes(production.dbId))
      .map((r) => r.location);
  }
}
