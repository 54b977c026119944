/**
 * The normalized clip metadata as GraphQL types, derived from the one zod schema in
 * @rushes/schema/metadata so the two cannot drift: a type per group (`CameraMetadata`, …) and a
 * `Sourced*` wrapper per value kind carrying the source and any conflicting values.
 */
import { metadataGroups, metadataSource, normalizedClipMetadata } from '@rushes/schema/metadata';
import { Field, FieldResolver, Float, Int, ObjectType, registerEnumType, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import { Gate } from '../auth/gate.ts';

export const MetadataSource = Object.fromEntries(metadataSource.options.map((o) => [o, o])) as Record<
  z.infer<typeof metadataSource>,
  z.infer<typeof metadataSource>
>;
registerEnumType(MetadataSource, {
  name: 'MetadataSource',
  description: 'Where a metadata value came from: a container or stream, an exiftool tag, a sidecar, …',
});

@ObjectType({ description: 'A frame rate as an exact rational; `fps` is its decimal value.' })
export class Rational {
  @Field(() => Int)
  num!: number;

  @Field(() => Int)
  den!: number;
}

/** Computed on demand: the stored document's rationals are plain `{ num, den }` objects. */
@Resolver(() => Rational)
export class RationalResolver {
  @FieldResolver(() => Float)
  @Gate({ derived: 'arithmetic on the parent rational' })
  fps(@Root() rational: Rational): number {
    return rational.num / rational.den;
  }
}

/** Field resolvers of the Sourced types, registered with the schema. */
export const SOURCED_RESOLVERS: (new () => object)[] = [];

type Scalar = typeof String | typeof Float | typeof Boolean | typeof Rational | [typeof String];

/** `Sourced<Kind>` and `Sourced<Kind>Candidate` for one value type. */
function sourcedType(kind: string, value: () => Scalar) {
  @ObjectType(`Sourced${kind}Candidate`, { description: 'A value another source gave.' })
  class Candidate {
    @Field(value)
    value!: unknown;

    @Field(() => MetadataSource)
    source!: string;

    @Field(() => String, { nullable: true, description: 'e.g. the exiftool tag it was read from.' })
    detail?: string;
  }

  @ObjectType(`Sourced${kind}`, { description: 'A value, its source, and what other sources said.' })
  class Sourced extends Candidate {
    @Field(() => [Candidate], { description: 'Other sources that disagreed; empty when none did.' })
    conflicts!: Candidate[];
  }

  // The stored document leaves `conflicts` out when there were none.
  @Resolver(() => Sourced)
  class SourcedResolver {
    @FieldResolver(() => [Candidate])
    @Gate({ derived: "the parent value's own conflicts" })
    conflicts(@Root() sourced: { conflicts?: Candidate[] }): Candidate[] {
      return sourced.conflicts ?? [];
    }
  }
  SOURCED_RESOLVERS.push(SourcedResolver);
  return Sourced;
}

const SOURCED = {
  String: sourcedType('String', () => String),
  Float: sourcedType('Float', () => Float),
  Boolean: sourcedType('Boolean', () => Boolean),
  Rational: sourcedType('Rational', () => Rational),
  StringList: sourcedType('StringList', () => [String]),
};

/** Pure: which Sourced type holds a field of the zod schema. */
function kindOf(field: z.ZodType): keyof typeof SOURCED {
  const inner = (field as z.ZodOptional<z.ZodObject<{ value: z.ZodType }>>).unwrap();
  const value = inner.shape.value;
  if (value instanceof z.ZodString) return 'String';
  if (value instanceof z.ZodNumber) return 'Float';
  if (value instanceof z.ZodBoolean) return 'Boolean';
  if (value instanceof z.ZodArray) return 'StringList';
  return 'Rational';
}

const title = (name: string) => name[0]!.toUpperCase() + name.slice(1);

function groupType(group: (typeof metadataGroups)[number]) {
  const shape = normalizedClipMetadata.shape[group].shape as Record<string, z.ZodType>;
  const GroupClass = class {};
  Object.defineProperty(GroupClass, 'name', { value: `${title(group)}Metadata` });
  for (const [field, schema] of Object.entries(shape)) {
    Field(() => SOURCED[kindOf(schema)], { nullable: true })(GroupClass.prototype, field);
  }
  ObjectType(`${title(group)}Metadata`, { description: `The clip's ${group} metadata.` })(GroupClass);
  return GroupClass;
}

const ClipMetadataClass = class {};
Object.defineProperty(ClipMetadataClass, 'name', { value: 'ClipMetadata' });
for (const group of metadataGroups) {
  const type = groupType(group);
  Field(() => type)(ClipMetadataClass.prototype, group);
}
ObjectType('ClipMetadata', {
  description: 'The normalized metadata: every value with its source and conflicts.',
})(ClipMetadataClass);

export const ClipMetadata = ClipMetadataClass;

/**
 * Pure: the stored document as GraphQL reads it — its groups as they are (missing ones empty);
 * `conflicts` and `fps` are filled in only when a query asks for them.
 */
export function toClipMetadata(document: Record<string, unknown> | null): Record<string, unknown> {
  if (!document) return EMPTY;
  let complete = true;
  for (const group of metadataGroups) if (!document[group]) complete = false;
  return complete ? document : { ...EMPTY, ...document };
}

const EMPTY: Record<string, unknown> = Object.freeze(Object.fromEntries(metadataGroups.map((g) => [g, {}])));
