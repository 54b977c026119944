import type { ClipRow } from '@rushes/data/clips';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../auth/ids.ts';
import { Rational } from '../../graphql/metadata.type.ts';
import { connectionOf, Node } from '../../graphql/relay.ts';
import { ProcessingState } from '../roll/roll.type.ts';

@ObjectType()
export class Checksum {
  @Field(() => String, { description: 'xxh64, xxh128, md5, sha1, c4…' })
  algorithm!: string;

  @Field(() => String, { description: 'Hex digest (C4 ids as written).' })
  value!: string;
}

@ObjectType({ implements: Node, description: 'One camera or sound file and everything known about it.' })
export class Clip extends Node {
  dbId!: string;
  rollId!: string;
  productionId!: string;
  objectKey!: string | null;
  /** The stored document (not a field; `metadata` shapes it). */
  document!: Record<string, unknown> | null;

  @Field(() => String)
  fileName!: string;

  @Field(() => String, { description: 'Path on the card, relative to its root.' })
  originalPath!: string;

  @Field(() => Float, { nullable: true })
  sizeBytes!: number | null;

  @Field(() => [Checksum])
  checksums!: Checksum[];

  @Field(() => ProcessingState)
  state!: ProcessingState;

  @Field(() => String, { nullable: true, description: 'Camera make and model.' })
  camera!: string | null;

  @Field(() => String, { nullable: true })
  reel!: string | null;

  @Field(() => String, { nullable: true, description: 'HH:MM:SS:FF (; before the frames: drop-frame).' })
  startTimecode!: string | null;

  @Field(() => String, { nullable: true })
  endTimecode!: string | null;

  @Field(() => Int, { nullable: true })
  durationFrames!: number | null;

  @Field(() => Rational, { nullable: true })
  frameRate!: Rational | null;

  @Field(() => Int, { nullable: true })
  width!: number | null;

  @Field(() => Int, { nullable: true })
  height!: number | null;

  @Field(() => String, { nullable: true })
  codec!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'ACES input transform id, else the gamut or primaries.',
  })
  colorSpace!: string | null;

  @Field(() => Date, { nullable: true })
  recordedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the clip failed, as a code (e.g. CHECKSUM_MISMATCH).',
  })
  errorCode!: string | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

export const ClipConnection = connectionOf('Clip', Clip);

export function toClip(row: ClipRow): Clip {
  return Object.assign(new Clip(), {
    nodeType: 'Clip' as const,
    id: toGlobalId('Clip', row.id),
    dbId: row.id,
    rollId: row.rollId,
    productionId: row.productionId,
    objectKey: row.objectKey,
    document: row.metadata,
    fileName: row.fileName,
    originalPath: row.originalPath,
    sizeBytes: row.sizeBytes,
    checksums: Object.entries(row.checksums).map(([algorithm, value]) => ({ algorithm, value })),
    state: row.state as ProcessingState,
    camera: row.camera,
    reel: row.reel,
    startTimecode: row.startTimecode,
    endTimecode: row.endTimecode,
    durationFrames: row.durationFrames,
    frameRate: row.fpsNum && row.fpsDen ? { num: row.fpsNum, den: row.fpsDen } : null,
    width: row.width,
    height: row.height,
    codec: row.codec,
    colorSpace: row.colorSpace,
    recordedAt: row.recordedAt,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    createdAt: row.createdAt,
  });
}
