import type { AuditEventRow } from '@rushes/data/audit';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../auth/ids.ts';
import { connectionOf, Node } from '../../graphql/relay.ts';

@ObjectType({ implements: Node, description: 'Who did what, when.' })
export class AuditEvent extends Node {
  productionId!: string | null;

  @Field(() => String, { description: 'Dotted verb, e.g. production.created, clip.deleted.' })
  action!: string;

  @Field(() => String)
  subjectType!: string;

  @Field(() => String)
  subjectId!: string;

  @Field(() => String, { nullable: true, description: 'User id, API key id or worker that acted.' })
  actor!: string | null;

  @Field(() => GraphQLJSONObject)
  data!: Record<string, unknown>;

  @Field(() => Date)
  createdAt!: Date;
}

export const AuditEventConnection = connectionOf('AuditEvent', AuditEvent);

export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return Object.assign(new AuditEvent(), {
    nodeType: 'AuditEvent' as const,
    id: toGlobalId('AuditEvent', row.id),
    productionId: row.productionId,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    actor: row.actorUserId ?? row.actorApiKeyId ?? row.actorWorker,
    data: row.data,
    createdAt: row.createdAt,
  });
}
