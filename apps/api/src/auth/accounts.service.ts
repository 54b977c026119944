/**
 * Accounts: the first account becomes the instance admin; later ones sign up with the
 * invitation an owner received when adding them as a member. Sign-in returns a bearer token,
 * within the limits of the sign-in throttle (checked before any password work). New passwords
 * meet `passwordProblem`'s policy.
 */
import {
  hashPassword,
  hashSecret,
  newSecret,
  normalizeEmail,
  passwordProblem,
  verifyPassword,
} from '@rushes/schema/credentials';
import { sessions, users } from '@rushes/schema/tables';
import { and, eq, gt, sql, type SQL } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import type { Database } from '@rushes/data/db';
import { createAccount } from '@rushes/data/users';
import { badInput } from '../graphql/errors.ts';
import { SESSION_DAYS, SESSION_PREFIX } from './sessions.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

export interface SignUpInput {
  email: string;
  password: string;
  name?: string | undefined;
  invitation?: string | undefined;
}

export interface SignedIn {
  token: string;
  expiresAt: Date;
  userId: string;
}

/** The same answer for an unknown e-mail and a wrong password: no account probing. */
const WRONG_CREDENTIALS = () =>
  new GraphQLError('That e-mail and password do not match an account.', {
    extensions: { code: 'UNAUTHENTICATED' },
  });

const BY_INVITATION = () =>
  new GraphQLError('Accounts are by invitation: ask a production owner to add you.', {
    extensions: { code: 'FORBIDDEN' },
  });
const INVALID_INVITATION = () =>
  badInput('This invitation is not valid for that e-mail, or has expired.', 'invitation');

/** The invited, not yet signed-up user that `invitation` was sent to at `email`. */
function invitedBy(email: string, invitation: string): SQL {
  return and(
    eq(sql`lower(${users.email})`, email),
    eq(users.inviteTokenHash, hashSecret(invitation)),
    gt(users.inviteExpiresAt, new Date()),
  )!;
}

export class AccountService {
  constructor(
    private readonly db: Database,
    private readonly throttle: SignInThrottle,
  ) {}

  async signUp(input: SignUpInput): Promise<SignedIn> {
    const email = normalizeEmail(input.email);
    if (!email) throw badInput(`"${input.email}" is not an e-mail address.`, 'email');
    const name = input.name?.trim().slice(0, 200) ?? '';
    // Who may sign up is settled before the password costs anything (a strength estimate, a
    // scrypt hash); the transaction below checks again.
    const [anyone] = await this.db.select({ id: users.id }).from(users).limit(1);
    if (anyone) {
      if (!input.invitation) throw BY_INVITATION();
      const [invited] = await this.db
        .select({ id: users.id })
        .from(users)
        .where(invitedBy(email, input.invitation));
      if (!invited) throw INVALID_INVITATION();
    }
    const problem = passwordProblem(input.password, [email, name]);
    if (problem) throw badInput(problem, 'password');
    const passwordHash = await hashPassword(input.password);

    // The first account is the instance admin (@rushes/data/users); later ones are invited.
    const first = await createAccount(
      this.db,
      { email, name, passwordHash, admin: true },
      { onlyFirst: true },
    );
    if (typeof first === 'object') return this.startSession(first.id);
    if (!input.invitation) throw BY_INVITATION();
    const [invited] = await this.db
      .update(users)
      .set({ passwordHash, name, inviteTokenHash: null, inviteExpiresAt: null })
      .where(invitedBy(email, input.invitation))
      .returning({ id: users.id });
    if (!invited) throw INVALID_INVITATION();
    return this.startSession(invited.id);
  }

  /** `clientAddress`: the caller's IP address, for per-address throttling. */
  async signIn(emailInput: string, password: string, clientAddress: string | undefined): Promise<SignedIn> {
    const email = normalizeEmail(emailInput);
    // Refused here, a throttled attempt costs no scrypt work.
    const attempt = await this.throttle.reserve(email ?? emailInput.trim().toLowerCase(), clientAddress);
    const [user] = email
      ? await this.db
          .select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
          .from(users)
          .where(eq(sql`lower(${users.email})`, email))
      : [];
    if (!user?.passwordHash || user.disabledAt) {
      // Spend the same time as a real check, so timing does not tell which e-mails exist.
      await verifyPassword(password, await dummyHash());
      throw WRONG_CREDENTIALS();
    }
    if (!(await verifyPassword(password, user.passwordHash))) throw WRONG_CREDENTIALS();
    await attempt.succeeded();
    return this.startSession(user.id);
  }

  async signOut(token: string): Promise<boolean> {
    const deleted = await this.db
      .delete(sessions)
      .where(eq(sessions.tokenHash, hashSecret(token)))
      .returning({ id: sessions.id });
    return deleted.length > 0;
  }

  private async startSession(userId: string): Promise<SignedIn> {
    const token = newSecret(SESSION_PREFIX);
    const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    await this.db.insert(sessions).values({ userId, tokenHash: hashSecret(token), expiresAt });
    return { token, expiresAt, userId };
  }
}

/**
 * A real scrypt hash of a random password, checked against when there is no account; made on
 * the first such sign-in, not at start-up.
 */
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(newSecret('dummy')));
