import type { TaskRow } from '@rushes/data/tasks';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../auth/ids.ts';
import { Node } from '../../graphql/relay.ts';

export enum TaskState {
  queued = 'queued',
  running = 'running',
  succeeded = 'succeeded',
  failed = 'failed',
  canceled = 'canceled',
}
registerEnumType(TaskState, { name: 'TaskState' });

@ObjectType({ implements: Node, description: "One step of a clip's processing, with its latest attempt." })
export class Task extends Node {
  dbId!: string;
  clipId!: string;
  productionId!: string;
  jobId!: string | null;

  @Field(() => String, { description: 'verify | probe | review | proxy:<profile>.' })
  kind!: string;

  @Field(() => TaskState)
  state!: TaskState;

  @Field(() => Float, { description: '0–1.' })
  progress!: number;

  @Field(() => Int, { description: 'Attempts so far (retries after transient failures).' })
  attempt!: number;

  @Field(() => String, { nullable: true })
  errorCode!: string | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;

  @Field(() => String, { nullable: true })
  workerId!: string | null;

  @Field(() => Date)
  queuedAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}

export function toTask(row: TaskRow, productionId: string): Task {
  return Object.assign(new Task(), {
    nodeType: 'Task' as const,
    id: toGlobalId('Task', row.id),
    dbId: row.id,
    clipId: row.clipId,
    productionId,
    jobId: row.jobId,
    kind: row.kind,
    state: row.state as TaskState,
    progress: row.progress,
    attempt: row.attempt,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    workerId: row.workerId,
    queuedAt: row.queuedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  });
}
