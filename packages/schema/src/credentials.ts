/**
 * How credentials are kept: passwords as scrypt hashes (node:crypto) with their parameters and
 * salt, bearer secrets (session tokens, API keys, invitations) as SHA-256 of 256 random bits —
 * a fast hash is enough for secrets nobody chose, and lets every request look one up by index.
 * Shared by the api (which checks them) and the `rushes` CLI (which creates the first account).
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en';
import pLimit from 'p-limit';

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

/**
 * scrypt runs on libuv's thread pool (4 threads by default), which file-system, DNS and zlib work
 * share: at most this many password hashes or checks run at once per process, the rest wait
 * here, so a burst of sign-ins cannot take every thread.
 */
export const PASSWORD_HASH_CONCURRENCY = 2;
const hashing = pLimit(PASSWORD_HASH_CONCURRENCY);
let hashesDone = 0;

/** Password hashing in this process: running, waiting for a slot, finished since start. */
export function passwordHashStats(): { running: number; waiting: number; done: number } {
  return { running: hashing.activeCount, waiting: hashing.pendingCount, done: hashesDone };
}

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions) {
  return hashing(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password, salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => {
          hashesDone += 1;
          if (error) reject(error);
          else resolve(key);
        });
      }),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const key = await scryptAsync(password, salt, keyLength, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(key, expected);
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
/**
 * The zxcvbn score (0–4) a new password needs: 3 is "safely unguessable" (about 10^8 guesses or
 * more), which refuses the common-password lists, keyboard walks, repeats, dates and l33t
 * variants of dictionary words that 0–2 let through.
 */
export const PASSWORD_MIN_SCORE = 3;

/** Built on first use (about half a second: it ranks some 100,000 words and passwords). */
let estimator: ZxcvbnFactory | undefined;
function strength(): ZxcvbnFactory {
  return (estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEnglish.translations,
  }));
}

/**
 * The password policy, for every place a password is set (sign-up, invitations, `rushes user
 * create`): why `password` is refused, or undefined when it is acceptable. Refuses blank ones,
 * fewer than 10 or more than 200 characters, and guessable ones (zxcvbn-ts with the common
 * passwords, English words and names; `userInputs` — the e-mail, the name — count as known to
 * an attacker).
 */
export function passwordProblem(password: string, userInputs: readonly string[] = []): string | undefined {
  if (password.trim() === '') return 'A password cannot be blank.';
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `A password needs at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) {
    return `A password can be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  }
  const known = userInputs.flatMap((input) => {
    const value = input.trim().toLowerCase();
    const local = value.split('@')[0]!;
    const parts = value.split(/[@.\s_+-]+/).filter((part) => part.length >= 3);
    return value ? [...new Set([value, local, ...parts])] : [];
  });
  const { score, feedback } = strength().check(password, known);
  if (score >= PASSWORD_MIN_SCORE) return undefined;
  const why = [feedback.warning, ...feedback.suggestions].filter(Boolean).join(' ');
  return `This password is too easy to guess.${why ? ` ${why}` : ''}`;
}

/** A new random secret with a readable prefix (`rs_session_…`, `rs_key_…`). */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Pure: a plausible e-mail address, trimmed and lower-cased, or undefined. */
export function normalizeEmail(email: string): string | undefined {
  const trimmed = email.trim().toLowerCase();
  return /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{1,63}$/.test(trimmed) ? trimmed : undefined;
}
