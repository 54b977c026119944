/** Pure: how long to wait before trying a failed request again. */

export interface RetryPolicy {
  /** Tries in all, the first included. Default 5. */
  attempts: number;
  /** The wait before the second try; each further wait doubles. Default 500 ms. */
  baseMs: number;
  /** The longest wait. Default 15 s. */
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 500, maxMs: 15_000 };

/**
 * The wait after failed try number `attempt` (1-based): exponential with "full jitter" — a random
 * time up to min(maxMs, baseMs × 2^(attempt−1)) — so clients that failed together do not retry
 * together. `random` is a number in [0, 1).
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * random);
}

/** Whether an HTTP status from the store is worth another try (the request may succeed later). */
export const retryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;
