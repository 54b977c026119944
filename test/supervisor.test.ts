import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESTART_POLICY,
  nextRestart,
  type Exit,
  type RestartPolicy,
} from '../scripts/lib/restart-policy.ts';
import { launch, prefix, supervise, terminate, type Child } from '../scripts/lib/supervisor.ts';

/** Resolves once `child` has written `text` to its stdout (it is ready for what follows). */
function printed(child: Child, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.process.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    });
    void child.exited.then((status) =>
      reject(new Error(`${child.name} exited (${status}) before "${text}"`)),
    );
  });
}

describe('supervisor', () => {
  it('lines up child names', () => {
    expect(prefix('api')).toBe('[api]     ');
    expect(prefix('postgres')).toBe('[postgres]');
  });

  it('stops a child that ignores SIGTERM by killing it after the grace period', async () => {
    const child = launch(
      'stubborn',
      ['-e', 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'],
      { env: process.env },
    );
    await printed(child, 'ready');
    const started = Date.now();
    await terminate(child, 300);
    expect(await child.exited).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('reports the exit status of a child that stops on SIGTERM', async () => {
    const child = launch(
      'polite',
      [
        '-e',
        'process.on("SIGTERM", () => process.exit(0)); console.log("ready"); setInterval(() => {}, 1000)',
      ],
      { env: process.env },
    );
    await printed(child, 'ready');
    await terminate(child, 5_000);
    expect(await child.exited).toBe(0);
  });
});

describe('restart policy', () => {
  const quick = (status: number | string = 1): Exit => ({ status, upMs: 2_000 });
  const healthy = (status: number | string = 1): Exit => ({ status, upMs: 3_600_000 });
  const times = (n: number, exit: Exit) => Array.from({ length: n }, () => exit);

  it('backs off 1 s, 2 s, 4 s … up to 30 s while the process keeps crashing', () => {
    const delays = [];
    for (let n = 1; n <= 9; n += 1) {
      const decision = nextRestart(times(n, quick()));
      if (!decision.restart) throw new Error(decision.reason);
      expect(decision.attempt).toBe(n);
      delays.push(decision.delayMs / 1000);
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 30, 30, 30, 30]);
  });

  it('starts over after a run that stayed up a minute, whatever came before', () => {
    expect(nextRestart([...times(8, quick()), healthy('SIGKILL')])).toEqual({
      restart: true,
      delayMs: 1000,
      attempt: 1,
    });
    // The healthy run's own crash was restart 1; the restarted process crashing at once is 2.
    expect(nextRestart([...times(8, quick()), healthy(), quick()])).toEqual({
      restart: true,
      delayMs: 2000,
      attempt: 2,
    });
    expect(nextRestart([{ status: 1, upMs: 59_999 }])).toMatchObject({ attempt: 1 });
    expect(nextRestart([{ status: 1, upMs: 60_000 }, quick()])).toMatchObject({ attempt: 2 });
  });

  it('gives up after 10 crashes in a row within a minute of starting, saying so', () => {
    expect(nextRestart(times(10, quick('SIGSEGV')))).toEqual({
      restart: false,
      reason: 'it exited 10 times in a row within 60 s of starting (last: signal SIGSEGV)',
    });
    expect(nextRestart([healthy(), ...times(9, quick())])).toMatchObject({ restart: true, attempt: 10 });
    expect(nextRestart([healthy(), ...times(10, quick())])).toMatchObject({ restart: false });
  });

  it('gives up at once on exit status 78 (invalid settings), even after a healthy run', () => {
    for (const history of [[quick(78)], [healthy(78)], [quick(), quick(78)]]) {
      const decision = nextRestart(history);
      expect(decision).toMatchObject({ restart: false });
      expect(!decision.restart && decision.reason).toContain(
        'status 78 (EX_CONFIG): its settings are invalid',
      );
    }
    // Any other status, a clean exit included, is an exit nobody asked for.
    expect(nextRestart([quick(0)])).toMatchObject({ restart: true });
    expect(nextRestart([quick('SIGKILL')])).toMatchObject({ restart: true });
  });

  it('documents its defaults', () => {
    expect(DEFAULT_RESTART_POLICY).toEqual({
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      stableAfterMs: 60_000,
      maxQuickExits: 10,
    });
  });
});

describe('supervise', () => {
  const fast: RestartPolicy = { initialDelayMs: 50, maxDelayMs: 200, stableAfterMs: 5_000, maxQuickExits: 3 };
  const node = (name: string, code: string) => () => launch(name, ['-e', code], { env: process.env });

  it('restarts a crashing process with backoff, logs each restart, and gives up after the quick crashes', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const crasher = supervise('crasher', node('crasher', 'process.exit(3)'), {
      policy: fast,
      log: (line) => lines.push(line),
    });
    const first = crasher.current.process.pid;
    expect(await crasher.gaveUp).toEqual({
      status: 3,
      reason: 'it exited 3 times in a row within 5 s of starting (last: status 3)',
    });
    // 50 ms + 100 ms of backoff between the three runs.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(crasher.current.process.pid).not.toBe(first);
    expect(lines.map((l) => l.replace(/after \d+ ms/, 'after N ms').replace(/pid \d+/, 'pid P'))).toEqual([
      'exited unexpectedly (status 3) after N ms; restarting it in 50 ms (attempt 1)',
      'restarted (pid P, attempt 1)',
      'exited unexpectedly (status 3) after N ms; restarting it in 100 ms (attempt 2)',
      'restarted (pid P, attempt 2)',
      'exited unexpectedly (status 3) after N ms; not restarting it: it exited 3 times in a row within 5 s of starting (last: status 3)',
    ]);
  });

  it('does not restart a process that exits with status 78', async () => {
    const lines: string[] = [];
    const bad = supervise('bad', node('bad', 'console.error("PORT is invalid"); process.exit(78)'), {
      policy: fast,
      log: (line) => lines.push(line),
    });
    expect((await bad.gaveUp).status).toBe(78);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^exited unexpectedly \(status 78\) after \d+ ms; not restarting it: it exited with status 78/,
    );
  });

  it('replaces a killed process with a new one, and stop() ends it for good', async () => {
    const lines: string[] = [];
    const service = supervise('service', node('service', 'setInterval(() => {}, 1000)'), {
      policy: fast,
      log: (line) => lines.push(line),
    });
    const first = service.current;
    await once(first.process, 'spawn');
    process.kill(first.process.pid!, 'SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const deadline = Date.now() + 5_000;
    while (service.current === first && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const second = service.current;
    expect(second.process.pid).not.toBe(first.process.pid);
    expect(lines[0]).toMatch(
      /^exited unexpectedly \(signal SIGKILL\) after \d+ ms; restarting it in 50 ms \(attempt 1\)$/,
    );
    expect(lines[1]).toBe(`restarted (pid ${second.process.pid}, attempt 1)`);

    await service.stop(2_000);
    expect(await second.exited).toBe('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(service.current).toBe(second);
    expect(lines).toHaveLength(2);
  });

  it('cancels a pending restart when stopped during the backoff', async () => {
    const lines: string[] = [];
    const slow: RestartPolicy = { ...fast, initialDelayMs: 10_000, maxDelayMs: 10_000 };
    const service = supervise('pending', node('pending', 'process.exit(1)'), {
      policy: slow,
      log: (line) => lines.push(line),
    });
    const first = service.current;
    await first.exited;
    const deadline = Date.now() + 5_000;
    while (lines.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(lines[0]).toContain('restarting it in 10 s (attempt 1)');
    await service.stop(1_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(service.current).toBe(first);
    expect(lines).toHaveLength(1);
  });
});
