import { hashSecret, newSecret, normalizeEmail } from '@rushes/schema/credentials';
import { auditEvents, productionMembers, users } from '@rushes/schema/tables';
import { and, asc, eq, sql } from 'drizzle-orm';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Gate } from '../../auth/gate.ts';
import type { Context } from '../../context.ts';
import { badInput, conflict } from '../../graphql/errors.ts';
import { auditRow, withTransaction } from '../../transaction.ts';
import { productionFor } from '../production/production.resolver.ts';
import { Production, Role } from '../production/production.type.ts';
import { AddMemberPayload, Member, toMember } from './member.type.ts';

const INVITATION_DAYS = 14;

/** The columns of a Member, from production_members joined with users. */
export const memberColumns = {
  productionId: productionMembers.productionId,
  userId: users.id,
  email: users.email,
  name: users.name,
  role: productionMembers.role,
  active: sql<boolean>`${users.passwordHash} is not null`,
  createdAt: productionMembers.createdAt,
};

@Resolver(() => Production)
export class ProductionMembersResolver {
  @FieldResolver(() => [Member], {
    nullable: true,
    description: 'People and their roles (coordinators and owners see this; null for others).',
  })
  @Gate({ action: 'oversee', from: 'parent', otherwise: 'null' })
  async members(@Root() production: Production, @Ctx() ctx: Context): Promise<Member[] | null> {
    const rows = await ctx.deps.db
      .select(memberColumns)
      .from(productionMembers)
      .innerJoin(users, eq(users.id, productionMembers.userId))
      .where(eq(productionMembers.productionId, production.dbId))
      .orderBy(asc(users.email));
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
      let [user] = await tx
        .select()
        .from(users)
        .where(eq(sql`lower(${users.email})`, email));
      let invitation: string | null = null;
      if (!user || !user.passwordHash) {
        invitation = newSecret('rs_invite');
        const invite = {
          inviteTokenHash: hashSecret(invitation),
          inviteExpiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
        };
        [user] = user
          ? await tx.update(users).set(invite).where(eq(users.id, user.id)).returning()
          : await tx
              .insert(users)
              .values({ email, ...invite })
              .returning();
      }
      await tx
        .insert(productionMembers)
        .values({ productionId: production.dbId, userId: user!.id, role })
        .onConflictDoUpdate({
          target: [productionMembers.productionId, productionMembers.userId],
          set: { role },
        });
      await tx.insert(auditEvents).values(
        auditRow(ctx.access, {
          productionId: production.dbId,
          action: 'member.added',
          subjectType: 'user',
          subjectId: user!.id,
          data: { email, role, invited: invitation !== null },
        }),
      );
      const [row] = await tx
        .select(memberColumns)
        .from(productionMembers)
        .innerJoin(users, eq(users.id, productionMembers.userId))
        .where(
          and(eq(productionMembers.productionId, production.dbId), eq(productionMembers.userId, user!.id)),
        );
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
      const [member] = await tx
        .select({ userId: productionMembers.userId, role: productionMembers.role })
        .from(productionMembers)
        .innerJoin(users, eq(users.id, productionMembers.userId))
        .where(
          and(
            eq(productionMembers.productionId, production.dbId),
            eq(sql`lower(${users.email})`, email.trim().toLowerCase()),
          ),
        );
      if (!member) return false;
      if (member.role === 'owner') {
        const [owners] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(productionMembers)
          .where(
            and(eq(productionMembers.productionId, production.dbId), eq(productionMembers.role, 'owner')),
          );
        if ((owners?.n ?? 0) <= 1) {
          throw conflict('This is the last owner; make someone else owner first.');
        }
      }
      await tx
        .delete(productionMembers)
        .where(
          and(
            eq(productionMembers.productionId, production.dbId),
            eq(productionMembers.userId, member.userId),
          ),
        );
      await tx.insert(auditEvents).values(
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
