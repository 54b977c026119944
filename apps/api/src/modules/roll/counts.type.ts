import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { StateCounts } from '../../loaders.ts';

@ObjectType({ description: 'Clips by processing state, and how far along they are.' })
export class ProcessingCounts {
  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  pending!: number;

  @Field(() => Int)
  processing!: number;

  @Field(() => Int)
  ready!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int)
  partial!: number;

  @Field(() => Float, { description: 'Bytes of originals.' })
  sizeBytes!: number;

  @Field(() => Float, { description: 'Finished clips (ready, partial or failed) over all clips: 0–1.' })
  fraction!: number;
}

/** Pure. */
export function toCounts(counts: StateCounts): ProcessingCounts {
  const finished = counts.ready + counts.partial + counts.failed;
  return { ...counts, fraction: counts.total === 0 ? 0 : finished / counts.total };
}
