import { PROXY_PROFILE_IDS, proxyRenditionName } from '@rushes/schema/profiles';
import type { RenditionRow } from '@rushes/data/renditions';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../auth/ids.ts';
import { Node } from '../../graphql/relay.ts';

@ObjectType({
  implements: Node,
  description: 'A file derived from a clip: a proxy, poster, thumbnail, strip, waveform.',
})
export class Rendition extends Node {
  dbId!: string;
  clipId!: string;
  productionId!: string;
  objectKey!: string | null;

  @Field(() => String, { description: 'proxy | poster | thumbnail | strip | waveform | original.' })
  kind!: string;

  @Field(() => String, {
    description: `Unique per clip: ${[
      ...PROXY_PROFILE_IDS.map(proxyRenditionName),
      ...['poster', 'thumbnail', 'strip', 'strip.json', 'strip.vtt', 'waveform'],
    ].join(', ')}.`,
  })
  name!: string;

  @Field(() => String, { description: 'pending | ready | failed.' })
  state!: string;

  @Field(() => Float, { nullable: true })
  sizeBytes!: number | null;

  @Field(() => String, { nullable: true })
  codec!: string | null;

  @Field(() => Int, { nullable: true })
  width!: number | null;

  @Field(() => Int, { nullable: true })
  height!: number | null;

  @Field(() => Date)
  updatedAt!: Date;
}

export function toRendition(row: RenditionRow, productionId: string): Rendition {
  return Object.assign(new Rendition(), {
    nodeType: 'Rendition' as const,
    id: toGlobalId('Rendition', row.id),
    dbId: row.id,
    clipId: row.clipId,
    productionId,
    objectKey: row.objectKey,
    kind: row.kind,
    name: row.name,
    state: row.state,
    sizeBytes: row.sizeBytes,
    codec: row.codec,
    width: row.width,
    height: row.height,
    updatedAt: row.updatedAt,
  });
}
