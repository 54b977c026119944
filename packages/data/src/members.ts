/**
 * Production members: who has which role in a production (production_members joined with users),
 * and the invitation of people who have no account yet.
 */
import { productionMembers, users } from '@rushes/schema/tables';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from './db.ts';

export type Role = (typeof productionMembers.$inferSelect)['role'];

/** A member as the apps show it. */
export interface MemberRow {
  productionId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  /** Whether the person has set a password (an invited one has not yet). */
  active: boolean;
  createdAt: Date;
}

const memberColumns = {
  productionId: productionMembers.productionId,
  userId: users.id,
  email: users.email,
  name: users.name,
  role: productionMembers.role,
  active: sql<boolean>`${users.passwordHash} is not null`,
  createdAt: productionMembers.createdAt,
};

/** The production's members, by e-mail. */
export async function membersOfProduction(db: Database, productionId: string): Promise<MemberRow[]> {
  return db
    .select(memberColumns)
    .from(productionMembers)
    .innerJoin(users, eq(users.id, productionMembers.userId))
    .where(eq(productionMembers.productionId, productionId))
    .orderBy(asc(users.email));
}

/** One member, or undefined. */
export async function findMember(
  db: Database,
  productionId: string,
  userId: string,
): Promise<MemberRow | undefined> {
  const [row] = await db
    .select(memberColumns)
    .from(productionMembers)
    .innerJoin(users, eq(users.id, productionMembers.userId))
    .where(and(eq(productionMembers.productionId, productionId), eq(productionMembers.userId, userId)));
  return row;
}

/** The member of that e-mail (any case), or undefined. */
export async function memberByEmail(
  db: Database,
  productionId: string,
  email: string,
): Promise<MemberRow | undefined> {
  const [row] = await db
    .select(memberColumns)
    .from(productionMembers)
    .innerJoin(users, eq(users.id, productionMembers.userId))
    .where(
      and(
        eq(productionMembers.productionId, productionId),
        eq(sql`lower(${users.email})`, email.trim().toLowerCase()),
      ),
    );
  return row;
}

/** How many owners the production has. */
export async function countOwners(db: Database, productionId: string): Promise<number> {
  const [owners] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(productionMembers)
    .where(and(eq(productionMembers.productionId, productionId), eq(productionMembers.role, 'owner')));
  return owners?.n ?? 0;
}

/** Gives the person the role in the production (a member already: the role changes). */
export async function setMemberRole(
  db: Database,
  productionId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await db
    .insert(productionMembers)
    .values({ productionId, userId, role })
    .onConflictDoUpdate({
      target: [productionMembers.productionId, productionMembers.userId],
      set: { role },
    });
}

/** Takes the person's role in the production away. */
export async function removeMember(db: Database, productionId: string, userId: string): Promise<void> {
  await db
    .delete(productionMembers)
    .where(and(eq(productionMembers.productionId, productionId), eq(productionMembers.userId, userId)));
}

/**
 * The account of a normalized e-mail, for a new member: an active account as it is; else one
 * invited (created, or an earlier invitation replaced) with `invitation` — the hash of its
 * token and when it expires. Says whether it was invited.
 */
export async function accountForMember(
  db: Database,
  email: string,
  invite: { inviteTokenHash: string; inviteExpiresAt: Date },
): Promise<{ userId: string; invited: boolean }> {
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  if (user?.passwordHash) return { userId: user.id, invited: false };
  const [invited] = user
    ? await db.update(users).set(invite).where(eq(users.id, user.id)).returning({ id: users.id })
    : await db
        .insert(users)
        .values({ email, ...invite })
        .returning({ id: users.id });
  return { userId: invited!.id, invited: true };
}
