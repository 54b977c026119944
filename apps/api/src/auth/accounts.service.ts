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
import { GraphQLError } from 'graphql';
import type { Database } from '@rushes/data/db';
import {
  acceptInvitation,
  createAccount,
  createSession,
  credentialsOf,
  deleteSession,
  hasAnyAccount,
  invitedAccount,
} from '@rushes/data/users';
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
    if (await hasAnyAccount(this.db)) {
      if (!input.invitation) throw BY_INVITATION();
      const invited = await invitedAccount(this.db, email, hashSecret(input.invitation));
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
    const invited = await acceptInvitation(this.db, email, hashSecret(input.invitation), {
      passwordHash,
      name,
    });
    if (!invited) throw INVALID_INVITATION();
    return this.startSession(invited);
  }

  /** `clientAddress`: the caller's IP address, for per-address throttling. */
  async signIn(emailInput: string, password: string, clientAddress: string | undefined): Promise<SignedIn> {
    const email = normalizeEmail(emailInput);
    // Refused here, a throttled attempt costs no scrypt work.
    const attempt = await this.throttle.reserve(email ?? emailInput.trim().toLowerCase(), clientAddress);
    const user = email ? await credentialsOf(this.db, email) : undefined;
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
    return deleteSession(this.db, hashSecret(token));
  }

  private async startSession(userId: string): Promise<SignedIn> {
    const token = newSecret(SESSION_PREFIX);
    const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    await createSession(this.db, { userId, tokenHash: hashSecret(token), expiresAt });
    return { token, expiresAt, userId };
  }
}

/**
 * A real scrypt hash of a random password, checked against when there is no account; made on
 * the first such sign-in, not at start-up.
 */
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(newSecret('dummy')));
