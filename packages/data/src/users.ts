/**
 * Accounts. The first-admin rule lives here, once: accounts are created under one advisory lock
 * and the first account of an instance is always an admin, whoever creates it (the api's
 * sign-up or `rushes user create`).
 */
import { sessions, users } from '@rushes/schema/tables';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Database } from './db.ts';

export interface NewAccount {
  /** Normalized (see `normalizeEmail`). */
  email: string;
  name: string;
  passwordHash: string;
  /** Asked for an admin; the first account is one anyway. */
  admin: boolean;
}

export interface CreatedAccount {
  id: string;
  isAdmin: boolean;
}

/**
 * Creates an account in its own transaction (give it the pool, not a transaction's handle).
 * `onlyFirst`: create it only when the instance has no account yet (the api's open sign-up;
 * later accounts come by invitation). Returns the account, `'exists'` when the e-mail already
 * has one, or `'not-first'`.
 */
export async function createAccount(
  db: Database,
  account: NewAccount,
  options: { onlyFirst?: boolean } = {},
): Promise<CreatedAccount | 'exists' | 'not-first'> {
  return db.transaction(async (tx) => {
    // Serialized, so two first-run sign-ups cannot both become admin.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rushes.signup'))`);
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
    if (options.onlyFirst && count > 0) return 'not-first';
    const [row] = await tx
      .insert(users)
      .values({
        email: account.email,
        name: account.name,
        passwordHash: account.passwordHash,
        isAdmin: account.admin || count === 0,
      })
      .onConflictDoNothing()
      .returning({ id: users.id, isAdmin: users.isAdmin });
    return row ?? 'exists';
  });
}

export type UserRow = typeof users.$inferSelect;

/** Whether the instance has any account yet (none: the next sign-up creates its admin). */
export async function hasAnyAccount(db: Database): Promise<boolean> {
  const [anyone] = await db.select({ id: users.id }).from(users).limit(1);
  return anyone !== undefined;
}

/** The account, or undefined. */
export async function findUser(db: Database, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

/** What signing in checks, for a normalized e-mail; undefined when there is no such account. */
export async function credentialsOf(
  db: Database,
  email: string,
): Promise<{ id: string; passwordHash: string | null; disabledAt: Date | null } | undefined> {
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  return user;
}

/** The invited account an unexpired invitation (its token's hash) was sent to at a normalized e-mail. */
function invitedBy(email: string, inviteTokenHash: string) {
  return and(
    eq(sql`lower(${users.email})`, email),
    eq(users.inviteTokenHash, inviteTokenHash),
    gt(users.inviteExpiresAt, new Date()),
  );
}

/** The id of the account the invitation is valid for, or undefined. */
export async function invitedAccount(
  db: Database,
  email: string,
  inviteTokenHash: string,
): Promise<string | undefined> {
  const [invited] = await db.select({ id: users.id }).from(users).where(invitedBy(email, inviteTokenHash));
  return invited?.id;
}

/**
 * Completes an invited account (its password and name; the invitation is used up); its id, or
 * undefined when the invitation is not valid for that e-mail or has expired.
 */
export async function acceptInvitation(
  db: Database,
  email: string,
  inviteTokenHash: string,
  account: { passwordHash: string; name: string },
): Promise<string | undefined> {
  const [invited] = await db
    .update(users)
    .set({ ...account, inviteTokenHash: null, inviteExpiresAt: null })
    .where(invitedBy(email, inviteTokenHash))
    .returning({ id: users.id });
  return invited?.id;
}

/** A session of the account, known by its token's hash. */
export async function createSession(
  db: Database,
  session: { userId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(sessions).values(session);
}

/** Ends the session of that token hash; false when there was none. */
export async function deleteSession(db: Database, tokenHash: string): Promise<boolean> {
  const deleted = await db
    .delete(sessions)
    .where(eq(sessions.tokenHash, tokenHash))
    .returning({ id: sessions.id });
  return deleted.length > 0;
}
