import type { ManifestRow } from '@rushes/data/manifests';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../auth/ids.ts';
import { Node } from '../../graphql/relay.ts';

@ObjectType({ implements: Node, description: "A card's MHL manifest as it arrived with the roll." })
export class Manifest extends Node {
  dbId!: string;
  rollId!: string;
  productionId!: string;

  @Field(() => String, { description: 'ascmhl-v1 (legacy .mhl) or ascmhl-v2 (ASC MHL history).' })
  format!: string;

  @Field(() => String, { description: 'Path on the card.' })
  path!: string;

  @Field(() => Int)
  entryCount!: number;

  @Field(() => [GraphQLJSONObject], { description: 'Files with their hashes, as the manifest lists them.' })
  entries!: Record<string, unknown>[];

  @Field(() => Date)
  createdAt!: Date;
}

export function toManifest(row: ManifestRow, productionId: string): Manifest {
  return Object.assign(new Manifest(), {
    nodeType: 'Manifest' as const,
    id: toGlobalId('Manifest', row.id),
    dbId: row.id,
    rollId: row.rollId,
    productionId,
    format: row.format,
    path: row.path,
    entryCount: row.entries.length,
    entries: row.entries,
    createdAt: row.createdAt,
  });
}
