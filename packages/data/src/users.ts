/**
 * Accounts. The first-admin rule lives here, once: accounts are created under one advisory lock
 * and the first account of an instance is always an admin, whoever creates it (the api's
 * sign-up or `rushes user create`).
 */
import { users } from '@rushes/schema/tables';
import { sql } from 'drizzle-orm';
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
