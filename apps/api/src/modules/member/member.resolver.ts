import { hashSecret, newSecret, normalizeEmail } from '@rushes/schema/credentials';
import { recordAudit } from '@rushes/data/audit';
import {
  accountForMember,
  countOwners,
  findMember,
  memberByEmail,
  membersOfProduction,
  removeMember,
  setMemberRole,
} from '@rushes/data/members';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Gate } from '../../auth/gate.ts';
import type { Context } from '../../context.ts';
import { badInput, conflict } from '../../graphql/errors.ts';
import { auditRow, withTransaction } from '../../transaction.ts';
import { productionFor } from '../production/production.resolver.ts';
import { Production, Role } from '../production/production.type.ts';
import { AddMemberPayload, Member, toMember } from './member.type.ts';

const INVITATION_DAYS = 14;

@Resolver(() => Production)
export class ProductionMembersResolver {
  @FieldResolver(() => [Member], {
    nullable: true,
    description: 'People and their roles (coordinators and owners see this; null for others).',
  })
  @Gate({ action: 'oversee', from: 'parent', otherwise: 'null' })
  async members(@Root() production: Production, @Ctx() ctx: Context): Promise<Member[] | null> {
    const rows = await membersOfProduction(ctx.deps.db, production.dbId);
    return rows.map(toMember);
  }
}

@Resolver(() => Member)
export class MemberResolver {
  @Mutation(() => AddMemberPayload, {
    description:
      'Gives a person a role in the production (owner only). Someone without an account is invited: pass the returned invitation to signUp.',
  })
  @Gate({ action: 'administer', from: 'arguments' })
  async addMember(
    @Arg('productionId', () => ID) productionId: string,
    @Arg('email', () => String) emailInput: string,
    @Arg('role', () => Role) role: Role,
    @Ctx() ctx: Context,
  ): Promise<AddMemberPayload> {
    const production = await productionFor(ctx, productionId, 'administer');
    const email = normalizeEmail(emailInput);
    if (!email) throw badInput(`"${emailInput}" is not an e-mail address.`, 'email');
    return withTransaction(ctx.deps.pool, async (tx) => {
      // A person without an account (or with an invitation only) is invited anew.
      const token = newSecret('rs_invite');
      const account = await accountForMember(tx, email, {
        inviteTokenHash: hashSecret(token),
        inviteExpiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      });
      const invitation = account.invited ? token : null;
      await setMemberRole(tx, production.dbId, account.userId, role);
      await recordAudit(
        tx,
        auditRow(ctx.access, {
          productionId: production.dbId,
          action: 'member.added',
          subjectType: 'user',
          subjectId: account.userId,
          data: { email, role, invited: invitation !== null },
        }),
      );
      const row = await findMember(tx, production.dbId, account.userId);
      return { member: toMember(row!), invitation };
    });
  }

  @Mutation(() => Boolean, {
    description: "Removes a person's role in the production (owner only). The last owner stays.",
  })
  @Gate({ action: 'administer', from: 'arguments' })
  async removeMember(
    @Arg('productionId', () => ID) productionId: string,
    @Arg('email', () => String) email: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    const production = await productionFor(ctx, productionId, 'administer');
    return withTransaction(ctx.deps.pool, async (tx) => {
      const member = await memberByEmail(tx, production.dbId, email);
      if (!member) return false;
      if (member.role === 'owner' && (await countOwners(tx, production.dbId)) <= 1) {
        throw conflict('This is the last owner; make someone else owner first.');
      }
      await removeMember(tx, production.dbId, member.userId);
      await recordAudit(
        tx,
        auditRow(ctx.access, {
          productionId: production.dbId,
          action: 'member.removed',
          subjectType: 'user',
          subjectId: member.userId,
          data: { email },
        }),
      );
      return true;
    });
  }
}
