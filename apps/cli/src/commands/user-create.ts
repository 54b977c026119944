/**
 * `rushes user create --email … --password … [--admin]`: an account from the shell, e.g. the
 * instance admin of a fresh deployment. The first account is always made admin.
 */
import { hashPassword, normalizeEmail, passwordProblem } from '@rushes/schema/credentials';
import { createDatabase } from '@rushes/data/db';
import { createAccount } from '@rushes/data/users';
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
  const { db, pool } = createDatabase(settings.DATABASE_URL, {
    max: 1,
    applicationName: 'rushes-cli',
    onIdleError: () => {},
  });
  try {
    const passwordHash = await hashPassword(flags.password!);
    // The first account is made admin whatever --admin says (@rushes/data/users).
    const created = await createAccount(db, {
      email,
      name: flags.name ?? '',
      passwordHash,
      admin: flags.admin,
    });
    if (created === 'exists' || created === 'not-first') {
      throw new UsageError(`an account for ${email} already exists`);
    }
    console.log(`created ${created.isAdmin ? 'admin ' : ''}account ${email} (${created.id})`);
    return 0;
  } finally {
    await pool.end();
  }
}
