import { Field, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../auth/ids.ts';
import { Node } from '../../graphql/relay.ts';
import { Role } from '../production/production.type.ts';

@ObjectType({ implements: Node, description: "A person's role in one production." })
export class Member extends Node {
  productionId!: string;
  userId!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => Boolean, { description: 'False until an invited person has signed up.' })
  active!: boolean;

  @Field(() => Date)
  createdAt!: Date;
}

export interface MemberRow {
  productionId: string;
  userId: string;
  email: string;
  name: string;
  role: string;
  active: boolean;
  createdAt: Date;
}

export function toMember(row: MemberRow): Member {
  return Object.assign(new Member(), {
    nodeType: 'Member' as const,
    id: toGlobalId('Member', `${row.productionId}:${row.userId}`),
    ...row,
    role: row.role as Role,
  });
}

@ObjectType({ description: 'The result of adding a member.' })
export class AddMemberPayload {
  @Field(() => Member)
  member!: Member;

  @Field(() => String, {
    nullable: true,
    description:
      'For a person without an account: the invitation to pass to `signUp` (shown once, valid 14 days).',
  })
  invitation!: string | null;
}
