/** A worker as its own process (`node apps/worker/src/main.ts`), to be killed like a real one. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const main = path.resolve(import.meta.dirname, '../../src/main.ts');

export interface WorkerProcess {
  child: ChildProcess;
  /** stderr and stdout so far, for failure messages. */
  output(): string;
  /** Resolves once the worker logs that it takes jobs (needs LOG_LEVEL info). */
  ready(): Promise<void>;
  /** SIGKILL to the worker and everything it started (its ffmpeg), as a crash would. */
  kill(): void;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | null>;
}

/**
 * `options.cpus`: the worker runs under `taskset -c <cpus>` (e.g. `0`: a 1-core host), so
 * os.availableParallelism() in it, and every ffmpeg it starts, sees only those cores.
 */
export function startWorkerProcess(
  env: Record<string, string>,
  options: { cpus?: string } = {},
): WorkerProcess {
  const node = [process.execPath, '--conditions=source', main];
  const [command, ...args] = options.cpus ? ['taskset', '-c', options.cpus, ...node] : node;
  const child = spawn(command!, args, {
    // Any free port for the probes: several workers run side by side.
    env: { ...process.env, LOG_LEVEL: 'warn', WORKER_HEALTH_PORT: '0', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return {
    child,
    output: () => output,
    ready: () =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (output.includes('"worker ready"')) resolve();
          else if (child.exitCode !== null) reject(new Error(`worker exited: ${output}`));
          else setTimeout(check, 50);
        };
        check();
      }),
    kill: () => process.kill(-child.pid!, 'SIGKILL'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
