/**
 * Child processes of `npm start`: each in its own process group (so Ctrl-C reaches only the
 * launcher, which then stops them in order), with its output prefixed by its name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

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
  signal(child, 'SIGKILL', true);
}

/** Polls `url` until it answers with a status below 500, the child exits, or time runs out. */
export async function waitForHttp(url: string, child: Child, timeoutMs: number): Promise<void> {
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
