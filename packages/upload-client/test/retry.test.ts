/** The wait between tries: exponential, capped, with full jitter. */
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY, retryableStatus } from '../src/retry.ts';

describe('backoffDelay', () => {
  it('doubles from baseMs with each failed try, at the top of the jitter range', () => {
    const top = 0.999_999;
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, DEFAULT_RETRY, top))).toEqual([
      500, 1000, 2000, 4000, 8000,
    ]);
  });

  it('never waits longer than maxMs, however many tries failed', () => {
    expect(backoffDelay(6, DEFAULT_RETRY, 0.999_999)).toBe(15_000);
    expect(backoffDelay(40, DEFAULT_RETRY, 0.999_999)).toBe(15_000);
  });

  it('spreads the wait uniformly below the ceiling (full jitter): 0 at random 0, half at 0.5', () => {
    expect(backoffDelay(3, DEFAULT_RETRY, 0)).toBe(0);
    expect(backoffDelay(3, DEFAULT_RETRY, 0.5)).toBe(1000);
  });
});

describe('retryableStatus', () => {
  it('tries again after a timeout, throttling or a server error, never after a refusal', () => {
    expect([408, 429, 500, 502, 503, 504].map(retryableStatus)).toEqual([true, true, true, true, true, true]);
    expect([400, 403, 404, 412].map(retryableStatus)).toEqual([false, false, false, false]);
  });
});
