import type { ProductionRow } from '@rushes/data/productions';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../auth/ids.ts';
import { Rational } from '../../graphql/metadata.type.ts';
import { connectionOf, Node } from '../../graphql/relay.ts';

export enum ProductionState {
  pending = 'pending',
  ready = 'ready',
}
registerEnumType(ProductionState, {
  name: 'ProductionState',
  description: 'pending until a worker has set the production up; then ready.',
});

export enum Role {
  owner = 'owner',
  coordinator = 'coordinator',
  editor = 'editor',
  vendor = 'vendor',
}
registerEnumType(Role, {
  name: 'Role',
  description:
    'owner: everything, members and keys · coordinator: ingest, settings, members list, audit · editor and vendor: read, download, export.',
});

@ObjectType({ implements: Node, description: 'A film or TV production: the unit of access and of storage.' })
export class Production extends Node {
  /** Database id (not a field). */
  dbId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Short upper-case code used in paths and CLIs.' })
  code!: string;

  @Field(() => ProductionState)
  state!: ProductionState;

  @Field(() => Rational, { description: 'Default frame rate.' })
  frameRate!: Rational;

  @Field(() => [GraphQLJSONObject], {
    description: 'Editors\' proxy profiles besides review, e.g. `{ "id": "avid", "maxWidth": 1280 }`.',
  })
  proxyProfiles!: Record<string, unknown>[];

  @Field(() => GraphQLJSONObject, {
    description: 'Colour pipeline, e.g. `{ "look": { slope, offset, power, saturation } }`.',
  })
  colorPipeline!: Record<string, unknown>;

  @Field(() => Date)
  createdAt!: Date;
}

export const ProductionConnection = connectionOf('Production', Production);

export function toProduction(row: ProductionRow): Production {
  return Object.assign(new Production(), {
    nodeType: 'Production' as const,
    id: toGlobalId('Production', row.id),
    dbId: row.id,
    name: row.name,
    code: row.code,
    state: row.state as ProductionState,
    frameRate: { num: row.fpsNum, den: row.fpsDen },
    proxyProfiles: row.proxyProfiles,
    colorPipeline: row.colorPipeline,
    createdAt: row.createdAt,
  });
}
