import type { RollRow } from '@rushes/data/rolls';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../auth/ids.ts';
import { connectionOf, Node } from '../../graphql/relay.ts';

export enum ProcessingState {
  pending = 'pending',
  processing = 'processing',
  ready = 'ready',
  failed = 'failed',
  partial = 'partial',
}
registerEnumType(ProcessingState, {
  name: 'ProcessingState',
  description:
    'pending: nothing started · processing: tasks queued or running · ready: all done · failed: a required task failed · partial: only optional renders failed.',
});

export enum RollKind {
  camera = 'camera',
  sound = 'sound',
}
registerEnumType(RollKind, { name: 'RollKind' });

@ObjectType({ implements: Node, description: 'A camera card or sound roll, e.g. A001.' })
export class Roll extends Node {
  dbId!: string;
  productionId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => RollKind)
  kind!: RollKind;

  @Field(() => String, { nullable: true, description: 'Camera unit (A, B…) from the card.' })
  cameraUnit!: string | null;

  @Field(() => String, { nullable: true, description: 'Shoot day, YYYY-MM-DD.' })
  shootDay!: string | null;

  @Field(() => ProcessingState)
  state!: ProcessingState;

  @Field(() => String, { nullable: true, description: 'Where an imported roll came from.' })
  sourceLocation!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why its import failed, with how many files were not imported (e.g. "4,648 of 5,000 files were not imported: …"); the roll is then failed.',
  })
  errorMessage!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Files of the card to import (clips and other files), once the card was listed.',
  })
  importFilesTotal!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Files of the card stored so far; equal to importFilesTotal when the import is done.',
  })
  importFilesStored!: number | null;

  @Field(() => Date)
  createdAt!: Date;
}

export const RollConnection = connectionOf('Roll', Roll);

export function toRoll(row: RollRow): Roll {
  return Object.assign(new Roll(), {
    nodeType: 'Roll' as const,
    id: toGlobalId('Roll', row.id),
    dbId: row.id,
    productionId: row.productionId,
    name: row.name,
    kind: row.kind as RollKind,
    cameraUnit: row.cameraUnit,
    shootDay: row.shootDay,
    state: row.state as ProcessingState,
    sourceLocation: row.sourceLocation,
    errorMessage: row.errorMessage,
    importFilesTotal: row.importFilesTotal,
    importFilesStored: row.importFilesDone,
    createdAt: row.createdAt,
  });
}

@ObjectType({ description: "An ALE of a roll's clips at one frame rate." })
export class AleExport {
  @Field(() => String, { description: 'The rate of its clips: 23.976, 24, 25, 29.97DF, 59.94DF…' })
  rate!: string;

  @Field(() => Int, { description: 'Clips in it.' })
  clips!: number;

  @Field(() => String, { description: 'The ALE (link valid 15 minutes).' })
  url!: string;
}
