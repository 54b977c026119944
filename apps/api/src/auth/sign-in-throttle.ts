/**
 * Sign-in throttling, per account and per client address, kept in PostgreSQL (`rate_limits`,
 * through rate-limiter-flexible) so every api replica sees the same counts. An attempt is
 * reserved before any password work: a refused attempt costs a few queries, never a scrypt.
 *
 * - Account (the e-mail, known or not, so throttling says nothing about which accounts exist):
 *   `accountAttempts` attempts per `accountWindowSeconds`; the last one allowed locks the account
 *   for `lockSeconds`, doubling with each further lock within a day, up to `maxLockSeconds`. A
 *   right password ends the lock and resets both counts.
 * - Address (IPv4, or the /64 of IPv6): `addressAttempts` wrong passwords per
 *   `addressWindowSeconds`, whichever accounts they were for.
 */
import { hashSecret } from '@rushes/schema/credentials';
import { positiveInt } from '@rushes/schema/settings';
import { rateLimits } from '@rushes/schema/tables';
import { getTableName } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import ipaddr from 'ipaddr.js';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

export interface SignInLimits {
  /** Attempts an account gets per window before it is locked. */
  accountAttempts: number;
  accountWindowSeconds: number;
  /** The first lock; each further lock within a day is twice as long. */
  lockSeconds: number;
  maxLockSeconds: number;
  /** Wrong passwords one client address may send per window, over all accounts. */
  addressAttempts: number;
  addressWindowSeconds: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  accountAttempts: 5,
  accountWindowSeconds: 900,
  lockSeconds: 60,
  maxLockSeconds: 3600,
  addressAttempts: 50,
  addressWindowSeconds: 900,
};

/** The api's settings for it (README, "api"), spread into `apiSettings`. */
export const signInSettings = {
  SIGN_IN_ACCOUNT_ATTEMPTS: positiveInt(DEFAULT_SIGN_IN_LIMITS.accountAttempts),
  SIGN_IN_ACCOUNT_WINDOW_SECONDS: positiveInt(DEFAULT_SIGN_IN_LIMITS.accountWindowSeconds),
  SIGN_IN_LOCK_SECONDS: positiveInt(DEFAULT_SIGN_IN_LIMITS.lockSeconds),
  SIGN_IN_MAX_LOCK_SECONDS: positiveInt(DEFAULT_SIGN_IN_LIMITS.maxLockSeconds),
  SIGN_IN_ADDRESS_ATTEMPTS: positiveInt(DEFAULT_SIGN_IN_LIMITS.addressAttempts),
  SIGN_IN_ADDRESS_WINDOW_SECONDS: positiveInt(DEFAULT_SIGN_IN_LIMITS.addressWindowSeconds),
};

type SignInSettings = { [K in keyof typeof signInSettings]: number };

/** Pure: the limits the settings ask for (a longest lock shorter than the first is the first). */
export function signInLimitsFrom(settings: SignInSettings): SignInLimits {
  return {
    accountAttempts: settings.SIGN_IN_ACCOUNT_ATTEMPTS,
    accountWindowSeconds: settings.SIGN_IN_ACCOUNT_WINDOW_SECONDS,
    lockSeconds: settings.SIGN_IN_LOCK_SECONDS,
    maxLockSeconds: Math.max(settings.SIGN_IN_LOCK_SECONDS, settings.SIGN_IN_MAX_LOCK_SECONDS),
    addressAttempts: settings.SIGN_IN_ADDRESS_ATTEMPTS,
    addressWindowSeconds: settings.SIGN_IN_ADDRESS_WINDOW_SECONDS,
  };
}

/** How long an account's lock count is remembered: the doubling starts over after that. */
const LOCK_MEMORY_SECONDS = 86_400;

/** Pure: the length of an account's `lockNumber`-th lock (1, 2, …) within a day. */
export function lockSeconds(
  lockNumber: number,
  limits: Pick<SignInLimits, 'lockSeconds' | 'maxLockSeconds'>,
) {
  return Math.min(limits.maxLockSeconds, limits.lockSeconds * 2 ** Math.max(0, lockNumber - 1));
}

/**
 * Pure: the throttling key of a client address. IPv4 (also IPv4-mapped IPv6) as is; IPv6 by its
 * /64, the block one subscriber usually holds whole.
 */
export function addressKey(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return 'unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`).toString()}/64`;
}

export type ThrottleScope = 'account' | 'address';

/** TOO_MANY_ATTEMPTS, with the wait in the message and in `extensions.retryAfterSeconds`. */
export function tooManyAttempts(scope: ThrottleScope, msBeforeNext: number): GraphQLError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const who = scope === 'account' ? 'for this account' : 'from this address';
  return new GraphQLError(`Too many sign-in attempts ${who}; try again in ${seconds} s.`, {
    extensions: { code: 'TOO_MANY_ATTEMPTS', scope, retryAfterSeconds: seconds },
  });
}

/** A reserved attempt: report a right password, which resets the account's counts. */
export interface SignInAttempt {
  succeeded(): Promise<void>;
}

/** Consumes a point; a refusal (over the limit) is a value, a database failure still throws. */
async function take(limiter: RateLimiterPostgres, key: string) {
  try {
    return { allowed: true as const, res: await limiter.consume(key) };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { allowed: false as const, res: error };
    throw error;
  }
}

export class SignInThrottle {
  private readonly account: RateLimiterPostgres;
  private readonly locks: RateLimiterPostgres;
  private readonly address: RateLimiterPostgres;

  constructor(
    pool: pg.Pool,
    readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {
    // The table comes from our migrations; one limiter sweeps expired rows (every 5 minutes).
    const store = {
      storeClient: pool,
      storeType: 'pool',
      tableName: getTableName(rateLimits),
      tableCreated: true,
    };
    this.account = new RateLimiterPostgres({
      ...store,
      keyPrefix: 'sign_in_account',
      points: limits.accountAttempts,
      duration: limits.accountWindowSeconds,
      clearExpiredByTimeout: true,
    });
    this.locks = new RateLimiterPostgres({
      ...store,
      keyPrefix: 'sign_in_locks',
      points: 1_000_000,
      duration: LOCK_MEMORY_SECONDS,
      clearExpiredByTimeout: false,
    });
    this.address = new RateLimiterPostgres({
      ...store,
      keyPrefix: 'sign_in_address',
      points: limits.addressAttempts,
      duration: limits.addressWindowSeconds,
      clearExpiredByTimeout: false,
    });
  }

  /**
   * Reserves one attempt for `email` from `clientAddress`, or throws TOO_MANY_ATTEMPTS. Call it
   * before checking the password; a wrong password needs nothing more (the attempt stays counted).
   */
  async reserve(email: string, clientAddress: string | undefined): Promise<SignInAttempt> {
    const accountKey = hashSecret(email);
    const fromKey = addressKey(clientAddress);

    const byAddress = await take(this.address, fromKey);
    if (!byAddress.allowed) throw tooManyAttempts('address', byAddress.res.msBeforeNext);
    const byAccount = await take(this.account, accountKey);
    if (!byAccount.allowed) {
      // No password is checked: the address's count is only of wrong passwords.
      await this.address.reward(fromKey);
      throw tooManyAttempts('account', byAccount.res.msBeforeNext);
    }
    if (byAccount.res.consumedPoints >= this.limits.accountAttempts) {
      // The last attempt the window allows: lock now, before its password is checked, so the
      // attempts after it are refused with the lock's real length (one that slips in between the
      // count and the lock is told the window's end instead). A right password lifts the lock.
      const lock = await this.locks.consume(accountKey);
      await this.account.block(accountKey, lockSeconds(lock.consumedPoints, this.limits));
    }
    return {
      succeeded: async () => {
        await Promise.all([
          this.account.delete(accountKey),
          this.locks.delete(accountKey),
          this.address.reward(fromKey),
        ]);
      },
    };
  }
}
