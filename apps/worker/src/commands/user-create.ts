/**
 * `rushes user create --email … --password … [--admin]`: an account from the shell, e.g. the
 * instance admin of a fresh deployment. The first account is always made admin.
 */
import { hashPassword, normalizeEmail, passwordProblem } from '@rushes/schema/credentials';
import { users } from '@rushes/schema/tables';
import { sql } from 'drizzle-orm';
import { createDatabase } from '../db.ts';
import { localSettings } from './local-settings.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

export async function createUser(flags: {
  email?: string;
  password?: string;
  name?: string;
  admin: boolean;
}) {
  const email = normalizeEmail(flags.email ?? '');
  if (!email) throw new UsageError(`--email: "${flags.email ?? ''}" is not an e-mail address`);
  // The same policy as the api's sign-up: not blank, 10–200 characters, not easy to guess.
  const problem = passwordProblem(flags.password ?? '', [email, flags.name ?? '']);
  if (problem) throw new UsageError(`--password: ${problem}`);
  const settings = localSettings();
  const { db, pool } = createDatabase(settings.DATABASE_URL, 1, () => {});
  try {
    const passwordHash = await hashPassword(flags.password!);
    const created = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rushes.signup'))`);
      const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
      const [row] = await tx
        .insert(users)
        .values({ email, name: flags.name ?? '', passwordHash, isAdmin: flags.admin || count === 0 })
        .onConflictDoNothing()
        .returning({ id: users.id, isAdmin: users.isAdmin });
      return row;
    });
    if (!created) throw new UsageError(`an account for ${email} already exists`);
    console.log(`created ${created.isAdmin ? 'admin ' : ''}account ${email} (${created.id})`);
    return 0;
  } finally {
    await pool.end();
  }
}
