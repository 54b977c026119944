import type { ImportRootRow } from '@rushes/data/import-roots';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../auth/ids.ts';
import { Node } from '../../graphql/relay.ts';

@ObjectType({
  implements: Node,
  description:
    'A server folder or S3 prefix an administrator opened for importRoll: cards are importable from inside it only.',
})
export class ImportRoot extends Node {
  dbId!: string;

  @Field(() => String, {
    description: 'An absolute folder (resolved: symlinks followed) or s3://bucket/prefix/.',
  })
  location!: string;

  @Field(() => String)
  description!: string;

  @Field(() => [ID], { description: 'The productions it is open to; empty: every production.' })
  productionIds!: string[];

  @Field(() => Date)
  createdAt!: Date;
}

export function toImportRoot(row: ImportRootRow): ImportRoot {
  return Object.assign(new ImportRoot(), {
    nodeType: 'ImportRoot' as const,
    id: toGlobalId('ImportRoot', row.id),
    dbId: row.id,
    location: row.location,
    description: row.description,
    productionIds: row.productionIds.map((id) => toGlobalId('Production', id)),
    createdAt: row.createdAt,
  });
}

@InputType()
export class ImportRootInput {
  @Field(() => String, { description: 'An absolute folder on the workers, or s3://bucket/prefix.' })
  location!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Open it only to these productions; empty or absent: every production.',
  })
  productionIds?: string[] | null;
}
