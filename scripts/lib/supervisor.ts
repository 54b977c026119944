/**
 * Child processes of `npm start`: each in its own process group (so Ctrl-C reaches only the
 * launcher, which then stops them in order), with its output prefixed by its name; `supervise`
 * restarts one that exits on its own, as restart-policy.ts decides.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  DEFAULT_RESTART_POLICY,
  describeStatus,
  formatMs,
  nextRestart,
  type Exit,
  type RestartPolicy,
} from './restart-policy.ts';

export interface Child {
  name: string;
  process: ChildProcess;
  /** Resolves with the exit status (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
}

export interface LaunchOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Also open an IPC channel (for `process.send`). */
  ipc?: boolean;
}

/** Pure: the prefix that lines up every child's name. */
export function prefix(name: string, width = 8): string {
  return `[${name}]`.padEnd(width + 2, ' ');
}

export function launch(name: string, args: readonly string[], options: LaunchOptions): Child {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    const lines = createInterface({ input: stream });
    lines.on('line', (line) => process.stdout.write(`${prefix(name)}${line}\n`));
  }
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { name, process: child, exited };
}

/** Kills whatever is left in `child`'s process group (e.g. the ffmpeg of a killed worker). */
function killGroup(child: Child): void {
  const pid = child.process.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Nothing left.
  }
}

function signal(child: Child, sig: NodeJS.Signals, group: boolean): void {
  const pid = child.process.pid;
  if (pid === undefined || child.process.exitCode !== null || child.process.signalCode !== null) return;
  try {
    process.kill(group ? -pid : pid, sig);
  } catch {
    // Already gone.
  }
}

/**
 * Asks `child` to stop (SIGTERM, to its whole group unless `leaderOnly`), waits `graceMs`, then
 * kills its group. Resolves once it has exited.
 */
export async function terminate(child: Child, graceMs: number, leaderOnly = false): Promise<void> {
  signal(child, 'SIGTERM', !leaderOnly);
  const timer = setTimeout(() => {
    process.stdout.write(`${prefix(child.name)}did not stop within ${graceMs} ms; killing it\n`);
    signal(child, 'SIGKILL', true);
  }, graceMs);
  await child.exited;
  clearTimeout(timer);
  // Anything it left behind in its group goes too.
  killGroup(child);
}

/**
 * Polls `url` until it answers with a status below 500, `child.exited` resolves (for a
 * supervised process: it was given up on), or time runs out.
 */
export async function waitForHttp(
  url: string,
  child: { name: string; exited: Promise<unknown> },
  timeoutMs: number,
): Promise<void> {
  let exited = false;
  void child.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${child.name} exited before it answered on ${url}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.name} did not answer on ${url} within ${timeoutMs / 1000} s`);
}

/** A process that `supervise` restarts when it exits on its own. */
export interface Supervised {
  name: string;
  /** The process running now: a new one after each restart. */
  readonly current: Child;
  /** Resolves once it will not be restarted any more (see restart-policy.ts), with why. */
  gaveUp: Promise<{ status: number | string; reason: string }>;
  /** Stops it for good: no more restarts, a pending one cancelled, the running process terminated. */
  stop(graceMs: number): Promise<void>;
}

export interface SuperviseOptions {
  /** Default: DEFAULT_RESTART_POLICY (1 s doubling to 30 s, …). */
  policy?: RestartPolicy;
  /** Where the supervisor's own lines go. Default: stdout, after the process's prefix. */
  log?: (line: string) => void;
}

/**
 * Runs `start()` and starts it again, with backoff, each time its process exits while it is
 * supervised (whatever the status: an exit nobody asked for is a crash). Each restart is logged
 * with the exit status, how long the process had been up, the attempt and the delay. Whatever a
 * dead process left in its group is killed before the next one starts.
 */
export function supervise(name: string, start: () => Child, options: SuperviseOptions = {}): Supervised {
  const policy = options.policy ?? DEFAULT_RESTART_POLICY;
  const log = options.log ?? ((line: string) => process.stdout.write(`${prefix(name)}${line}\n`));
  let history: Exit[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let giveUp!: (value: { status: number | string; reason: string }) => void;
  const gaveUp = new Promise<{ status: number | string; reason: string }>((resolve) => (giveUp = resolve));

  const run = (attempt?: number): Child => {
    const child = start();
    const startedAt = Date.now();
    if (attempt !== undefined) log(`restarted (pid ${child.process.pid}, attempt ${attempt})`);
    void child.exited.then((status) => {
      if (stopped) return;
      killGroup(child);
      const upMs = Date.now() - startedAt;
      // Only the exits since the last healthy run matter to the policy.
      history = [...history, { status, upMs }].slice(-(policy.maxQuickExits + 1));
      const decision = nextRestart(history, policy);
      const what = `exited unexpectedly (${describeStatus(status)}) after ${formatMs(upMs)}`;
      if (!decision.restart) {
        log(`${what}; not restarting it: ${decision.reason}`);
        giveUp({ status, reason: decision.reason });
        return;
      }
      log(`${what}; restarting it in ${formatMs(decision.delayMs)} (attempt ${decision.attempt})`);
      timer = setTimeout(() => {
        timer = undefined;
        if (!stopped) supervised.current = run(decision.attempt);
      }, decision.delayMs);
    });
    return child;
  };

  const supervised = {
    name,
    current: undefined as unknown as Child,
    gaveUp,
    async stop(graceMs: number) {
      stopped = true;
      clearTimeout(timer);
      await terminate(supervised.current, graceMs);
    },
  };
  supervised.current = run();
  return supervised;
}
