import { describe, expect, it } from 'vitest';
import {
  addressKey,
  DEFAULT_SIGN_IN_LIMITS,
  lockSeconds,
  signInLimitsFrom,
  tooManyAttempts,
} from '../src/auth/sign-in-throttle.ts';
import { loadApiSettings } from '../src/config.ts';

describe('sign-in throttle rules', () => {
  it('doubles each lock from the first up to the longest', () => {
    const limits = { lockSeconds: 60, maxLockSeconds: 3600 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => lockSeconds(n, limits))).toEqual([
      60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]);
  });

  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['::1', '::/64'],
    [undefined, 'unknown'],
    ['not an address', 'unknown'],
  ])('keys the client address %j as %j (IPv6 by its /64)', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('says who is throttled and for how long, in whole seconds rounded up', () => {
    const account = tooManyAttempts('account', 59_001);
    expect(account.message).toBe('Too many sign-in attempts for this account; try again in 60 s.');
    expect(account.extensions).toEqual({
      code: 'TOO_MANY_ATTEMPTS',
      scope: 'account',
      retryAfterSeconds: 60,
    });
    expect(tooManyAttempts('address', 0).message).toBe(
      'Too many sign-in attempts from this address; try again in 1 s.',
    );
  });

  it('takes its limits from the api settings, with sane defaults', () => {
    const base = { DATABASE_URL: 'postgres://localhost/x', STORAGE_SIGNING_SECRET: 's'.repeat(32) };
    expect(signInLimitsFrom(loadApiSettings(base))).toEqual(DEFAULT_SIGN_IN_LIMITS);
    expect(DEFAULT_SIGN_IN_LIMITS).toMatchObject({
      accountAttempts: 5,
      lockSeconds: 60,
      addressAttempts: 50,
    });
    const tuned = loadApiSettings({
      ...base,
      SIGN_IN_ACCOUNT_ATTEMPTS: '3',
      SIGN_IN_LOCK_SECONDS: '600',
      SIGN_IN_MAX_LOCK_SECONDS: '300',
      SIGN_IN_ADDRESS_ATTEMPTS: '200',
    });
    expect(signInLimitsFrom(tuned)).toMatchObject({
      accountAttempts: 3,
      lockSeconds: 600,
      maxLockSeconds: 600,
      addressAttempts: 200,
    });
    expect(() => loadApiSettings({ ...base, SIGN_IN_ACCOUNT_ATTEMPTS: '0' })).toThrow(
      /SIGN_IN_ACCOUNT_ATTEMPTS="0": must be ≥ 1/,
    );
  });
});
