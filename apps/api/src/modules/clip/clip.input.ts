import { CLIP_SORT_FIELDS, type ClipSortField as ClipSortFieldValue } from '@rushes/data/clip-filter';
import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ProcessingState } from '../roll/roll.type.ts';

@InputType({ description: 'All given conditions must hold. Text comparisons ignore case.' })
export class ClipFilter {
  @Field(() => [ID], { nullable: true, description: 'Only clips of these rolls.' })
  rollIds?: string[] | null;

  @Field(() => String, { nullable: true })
  reel?: string | null;

  @Field(() => String, { nullable: true })
  cameraMake?: string | null;

  @Field(() => String, { nullable: true })
  cameraModel?: string | null;

  @Field(() => String, { nullable: true })
  cameraSerial?: string | null;

  @Field(() => String, { nullable: true, description: 'Lens model contains this text.' })
  lens?: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. prores, h264, dnxhd, pcm_s24le.' })
  codec?: string | null;

  @Field(() => Int, { nullable: true })
  width?: number | null;

  @Field(() => Int, { nullable: true })
  height?: number | null;

  @Field(() => Float, { nullable: true, description: 'Frames per second, e.g. 23.976 (within 0.01).' })
  frameRate?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Colour space: the ACES input transform id (e.g. arri_logc3), gamut or transfer.',
  })
  colorSpace?: string | null;

  @Field(() => [ProcessingState], { nullable: true })
  states?: ProcessingState[] | null;

  @Field(() => Date, { nullable: true })
  recordedFrom?: Date | null;

  @Field(() => Date, { nullable: true })
  recordedTo?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Clips whose timecode range contains this timecode, HH:MM:SS:FF.',
  })
  timecode?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'With timecodeTo: clips overlapping this timecode range (timecodeTo not before it: a range past midnight is two queries).',
  })
  timecodeFrom?: string | null;

  @Field(() => String, { nullable: true })
  timecodeTo?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'File name, card path, reel, codec, start timecode, failure code, scene, take, camera make/model/serial, lens, ACES input transform or sound take/note contains this text (what `search` looks in; 3 characters or more use the trigram index).',
  })
  text?: string | null;
}

/** The GraphQL enum of the sorts @rushes/data offers, made from its one list. */
const ClipSortField = Object.fromEntries(CLIP_SORT_FIELDS.map((field) => [field, field])) as {
  [F in ClipSortFieldValue]: F;
};
type ClipSortField = ClipSortFieldValue;
registerEnumType(ClipSortField, { name: 'ClipSortField' });

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType()
export class ClipOrder {
  @Field(() => ClipSortField)
  field!: ClipSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}
