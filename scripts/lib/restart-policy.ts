/**
 * When `npm start` restarts a process that exited on its own (pure: a function of the process's
 * exit history). Exponential backoff — 1 s, 2 s, 4 s … up to 30 s — that starts over once a run
 * has stayed up for a minute; no restart at all for exit status 78 (EX_CONFIG: its settings are
 * invalid, and will be again), nor after 10 crashes in a row each within a minute of its start
 * (about three minutes of trying: long enough to ride out a database restart, short enough not to
 * loop forever on a broken install).
 */

/** One exit of a supervised process. */
export interface Exit {
  /** Exit status, or the name of the signal that ended it (`SIGKILL`). */
  status: number | string;
  /** How long that run had been up, in milliseconds. */
  upMs: number;
}

export interface RestartPolicy {
  /** Delay before the first restart. Default 1,000 ms. */
  initialDelayMs: number;
  /** The delay doubles per restart up to this. Default 30,000 ms. */
  maxDelayMs: number;
  /** A run that stayed up this long was healthy: the backoff starts over. Default 60,000 ms. */
  stableAfterMs: number;
  /** Give up after this many exits in a row, each before `stableAfterMs`. Default 10. */
  maxQuickExits: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxQuickExits: 10,
};

/** sysexits.h EX_CONFIG: our processes' exit status for invalid settings. */
export const EX_CONFIG = 78;

export type RestartDecision =
  | {
      restart: true;
      delayMs: number;
      /** 1 for the first restart since the last healthy run. */ attempt: number;
    }
  | { restart: false; reason: string };

/** Pure: what to do after the last exit in `history` (oldest first, never empty). */
export function nextRestart(
  history: readonly Exit[],
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): RestartDecision {
  const last = history.at(-1);
  if (!last) throw new Error('nextRestart needs at least one exit');
  if (last.status === EX_CONFIG) {
    return {
      restart: false,
      reason: `it exited with status ${EX_CONFIG} (EX_CONFIG): its settings are invalid (see its message above); fix them and start again`,
    };
  }
  // Exits since the last healthy run, that run's own exit included: restart 1 follows it.
  let attempt = 0;
  let quick = 0;
  for (let i = history.length - 1; i >= 0; i -= 1) {
    attempt += 1;
    if (history[i]!.upMs >= policy.stableAfterMs) break;
    quick += 1;
  }
  if (quick >= policy.maxQuickExits) {
    return {
      restart: false,
      reason: `it exited ${quick} times in a row within ${formatMs(policy.stableAfterMs)} of starting (last: ${describeStatus(last.status)})`,
    };
  }
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return { restart: true, delayMs, attempt };
}

/** Pure: `status 1`, `signal SIGKILL`. */
export function describeStatus(status: number | string): string {
  return typeof status === 'number' ? `status ${status}` : `signal ${status}`;
}

/** Pure: `800 ms`, `1 s`, `12.5 s`, `2 min`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000 || ms % 60_000 !== 0) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${ms / 60_000} min`;
}
