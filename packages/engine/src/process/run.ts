/**
 * The only place in Rushes that starts a process. Commands are data (`Command`), built by pure
 * functions elsewhere and run here, with cancellation, a timeout and the tail of stderr kept for
 * error messages.
 */
import { spawn } from 'node:child_process';
import { EngineError } from '../errors.ts';

export interface Command {
  /** Short tool name for messages, e.g. `ffprobe`. */
  tool: string;
  /** Executable path or a name looked up on PATH. */
  executable: string;
  args: readonly string[];
}

export interface RunOptions {
  /** Kills the process (SIGKILL) when aborted. */
  signal?: AbortSignal;
  /** Milliseconds before the process is killed. Default: no limit. */
  timeoutMs?: number;
  /** Receives stderr as it arrives. */
  onStderr?: (chunk: string) => void;
  /** Receives stdout as it arrives (e.g. ffmpeg `-progress pipe:1`). */
  onStdout?: (chunk: string) => void;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

const STDERR_TAIL = 8 * 1024;

/** Runs `command` to completion; resolves with its output when it exits 0, else throws EngineError. */
export function run(command: Command, options: RunOptions = {}): Promise<RunResult> {
  const { signal, timeoutMs, onStderr, onStdout } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new EngineError('ABORTED', `${command.tool} was canceled`, { tool: command.tool }));
      return;
    }
    const child = spawn(command.executable, command.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    let stopReason: 'ABORTED' | 'TIMEOUT' | undefined;
    const stop = (reason: 'ABORTED' | 'TIMEOUT') => {
      stopReason = reason;
      child.kill('SIGKILL');
    };
    const onAbort = () => stop('ABORTED');
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = timeoutMs ? setTimeout(() => stop('TIMEOUT'), timeoutMs) : undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      onStdout?.(chunk.toString('utf8'));
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
      onStderr?.(chunk);
    });
    const cleanUp = () => {
      signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanUp();
      const code = error.code === 'ENOENT' ? 'TOOL_NOT_FOUND' : 'TOOL_FAILED';
      reject(
        new EngineError(
          code,
          `${command.tool} could not be started (${command.executable}): ${error.message}`,
          {
            tool: command.tool,
            cause: error,
          },
        ),
      );
    });
    child.on('close', (exitCode, exitSignal) => {
      cleanUp();
      if (stopReason === 'ABORTED') {
        reject(new EngineError('ABORTED', `${command.tool} was canceled`, { tool: command.tool }));
      } else if (stopReason === 'TIMEOUT') {
        reject(
          new EngineError('TIMEOUT', `${command.tool} did not finish within ${timeoutMs} ms`, {
            tool: command.tool,
            retryable: true,
          }),
        );
      } else if (exitCode === 0) {
        resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr });
      } else {
        const how = exitSignal ? `was killed by ${exitSignal}` : `exited with status ${exitCode}`;
        reject(
          new EngineError(
            'TOOL_FAILED',
            `${command.tool} ${how}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
            {
              tool: command.tool,
              retryable: exitSignal !== null,
            },
          ),
        );
      }
    });
  });
}
