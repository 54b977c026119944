import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  PASSWORD_HASH_CONCURRENCY,
  passwordHashStats,
  passwordProblem,
  verifyPassword,
} from '../src/credentials.ts';

describe('password policy', () => {
  it.each([
    ['', 'A password cannot be blank.'],
    ['          ', 'A password cannot be blank.'],
    ['\t \n   \u00a0   ', 'A password cannot be blank.'],
    ['short', 'A password needs at least 10 characters.'],
    ['password', 'A password needs at least 10 characters.'],
    ['x'.repeat(201), 'A password can be at most 200 characters long.'],
  ])('refuses %j: %s', (password, message) => {
    expect(passwordProblem(password)).toBe(message);
  });

  it.each([
    ['1234567890', /frequently used password/],
    ['password12', /commonly used password/],
    ['qwertyuiop', /frequently used password/],
    ['aaaaaaaaaaaa', /Repeated characters/],
    ['iloveyou12', /similar to a commonly used password/],
    ['Passw0rd!2024', /similar to a commonly used password/],
  ])('refuses the guessable %j and says why', (password, why) => {
    const problem = passwordProblem(password);
    expect(problem).toMatch(/^This password is too easy to guess\. /);
    expect(problem).toMatch(why);
  });

  it('counts the e-mail and the name as known to an attacker', () => {
    expect(passwordProblem('marguerite.fontaine')).toBeUndefined();
    expect(passwordProblem('marguerite.fontaine', ['Marguerite.Fontaine@example.com'])).toMatch(
      /^This password is too easy to guess\. There should not be any personal or page related data\./,
    );
    expect(passwordProblem('zorblaxquen77', [' ', 'Zorblaxquen'])).toMatch(/personal/);
  });

  it.each([
    'glacier-mango-tumble-orbit',
    'correct horse battery',
    'a long enough password',
    'vendor password 123',
    'W7#qz!mP4vR9@kLx2',
  ])('accepts the long or random %j', (password) => {
    expect(passwordProblem(password)).toBeUndefined();
  });

  it('counts characters, not UTF-16 units: ten emoji are ten characters', () => {
    expect(passwordProblem('🎬🎞📽🎥🎦🎬🎞📽🎥')).toBe('A password needs at least 10 characters.');
    expect(passwordProblem('🎬🎞📽🎥🎦🎬🎞📽🎥🎦')).toBeUndefined();
  });
});

describe('password hashing', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const stored = await hashPassword('glacier-mango-tumble-orbit');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('glacier-mango-tumble-orbit', stored)).toBe(true);
    expect(await verifyPassword('glacier-mango-tumble-orbiT', stored)).toBe(false);
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
  });

  it(`runs at most ${PASSWORD_HASH_CONCURRENCY} scrypt computations at once; the rest wait their turn`, async () => {
    const before = passwordHashStats().done;
    let mostRunning = 0;
    let mostWaiting = 0;
    const sample = setInterval(() => {
      const { running, waiting } = passwordHashStats();
      mostRunning = Math.max(mostRunning, running);
      mostWaiting = Math.max(mostWaiting, waiting);
    }, 1);
    try {
      await Promise.all(Array.from({ length: 6 }, (_, i) => hashPassword(`burst password ${i}`)));
    } finally {
      clearInterval(sample);
    }
    expect(mostRunning).toBe(PASSWORD_HASH_CONCURRENCY);
    expect(mostWaiting).toBeGreaterThanOrEqual(6 - PASSWORD_HASH_CONCURRENCY - 1);
    expect(passwordHashStats()).toEqual({ running: 0, waiting: 0, done: before + 6 });
  });
});
