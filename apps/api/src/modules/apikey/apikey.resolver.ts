import { hashSecret, newSecret } from '@rushes/schema/credentials';
import { apiKeysOfProduction, createApiKey, findApiKey, revokeApiKey } from '@rushes/data/api-keys';
import { recordAudit } from '@rushes/data/audit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { authorize, Gate, person } from '../../auth/gate.ts';
import { production } from '../../auth/policy.ts';
import { fromGlobalId } from '../../auth/ids.ts';
import { API_KEY_PREFIX, apiKeyPrefix } from '../../auth/sessions.ts';
import type { Context } from '../../context.ts';
import { badInput } from '../../graphql/errors.ts';
import { auditRow, withTransaction } from '../../transaction.ts';
import { productionFor } from '../production/production.resolver.ts';
import { Production, Role } from '../production/production.type.ts';
import { ApiKey, CreatedApiKey, toApiKey } from './apikey.type.ts';

@Resolver(() => Production)
export class ProductionApiKeysResolver {
  @FieldResolver(() => [ApiKey], {
    nullable: true,
    description: 'Keys scoped to this production (owners only; null for others).',
  })
  @Gate({ action: 'administer', from: 'parent', otherwise: 'null' })
  async apiKeys(@Root() production: Production, @Ctx() ctx: Context): Promise<ApiKey[] | null> {
    const rows = await apiKeysOfProduction(ctx.deps.db, production.dbId);
    return rows.map(toApiKey);
  }
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Mutation(() => CreatedApiKey, {
    description:
      'A key for a script or vendor, scoped to productions you own and one role. The secret is returned once; send it as `Authorization: Bearer <secret>`.',
  })
  @Gate({ action: 'act-as-person', from: 'self' }, { action: 'administer', from: 'arguments' })
  async createApiKey(
    @Arg('name', () => String) name: string,
    @Arg('productionIds', () => [ID]) productionIds: string[],
    @Arg('role', () => Role) role: Role,
    @Ctx() ctx: Context,
    @Arg('expiresInDays', () => Int, { nullable: true }) expiresInDays?: number,
  ): Promise<CreatedApiKey> {
    const userId = person(ctx);
    const label = name.trim();
    if (!label || label.length > 100) throw badInput('A key needs a name of 1–100 characters.', 'name');
    if (productionIds.length === 0)
      throw badInput('Scope the key to at least one production.', 'productionIds');
    if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 3650)) {
      throw badInput('expiresInDays must be between 1 and 3650.', 'expiresInDays');
    }
    const scoped: string[] = [];
    for (const id of new Set(productionIds)) scoped.push((await productionFor(ctx, id, 'administer')).dbId);
    const secret = newSecret(API_KEY_PREFIX);
    const row = await withTransaction(ctx.deps.pool, async (tx) => {
      const row = await createApiKey(tx, {
        name: label,
        prefix: apiKeyPrefix(secret),
        secretHash: hashSecret(secret),
        role,
        productionIds: scoped,
        createdBy: userId,
        expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null,
      });
      await recordAudit(
        tx,
        scoped.map((productionId) =>
          auditRow(ctx.access, {
            productionId,
            action: 'api_key.created',
            subjectType: 'api_key',
            subjectId: row.id,
            data: { name: label, role, prefix: row.prefix },
          }),
        ),
      );
      return row;
    });
    return { apiKey: toApiKey(row), secret };
  }

  @Mutation(() => ApiKey, { description: 'Revokes a key at once (an owner of every production it reaches).' })
  @Gate({ action: 'act-as-person', from: 'self' }, { action: 'administer', from: 'arguments' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ApiKey> {
    const decoded = fromGlobalId(id);
    if (decoded?.type !== 'ApiKey') throw badInput(`"${id}" is not an API key id.`, 'id');
    const key = await findApiKey(ctx.deps.db, decoded.id);
    if (!key) throw badInput(`No API key with id "${id}".`, 'id');
    for (const productionId of key.productionIds)
      authorize(ctx, 'administer', production(productionId, 'API key'));
    const row = await revokeApiKey(ctx.deps.db, key.id);
    return toApiKey(row ?? key);
  }
}
