import type { ApiKeyRow } from '@rushes/data/api-keys';
import { Field, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../auth/ids.ts';
import { Node } from '../../graphql/relay.ts';
import { Role } from '../production/production.type.ts';

@ObjectType({
  implements: Node,
  description: 'A key for scripts and vendors, scoped to productions and one role.',
})
export class ApiKey extends Node {
  dbId!: string;
  productionIds!: string[];

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The first characters of the secret, to tell keys apart.' })
  prefix!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

export function toApiKey(row: ApiKeyRow): ApiKey {
  return Object.assign(new ApiKey(), {
    nodeType: 'ApiKey' as const,
    id: toGlobalId('ApiKey', row.id),
    dbId: row.id,
    productionIds: row.productionIds,
    name: row.name,
    prefix: row.prefix,
    role: row.role as Role,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  });
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field(() => String, { description: 'The secret: shown this once, stored only as a hash.' })
  secret!: string;
}
