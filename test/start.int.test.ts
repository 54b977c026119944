/**
 * `npm start` as a user runs it: embedded PostgreSQL, every app, Ctrl-C leaves nothing behind,
 * and a second start keeps the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/postgres.global.ts';
import { makeSharedTempDir } from '../scripts/lib/embedded-postgres.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
let dataDir: string;
let env: NodeJS.ProcessEnv;
let apiUrl: string;

beforeAll(async () => {
  dataDir = await makeSharedTempDir('rushes-start-');
  const [api, web, pg] = [await freePort(), await freePort(), await freePort()];
  apiUrl = `http://127.0.0.1:${api}/graphql`;
  env = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    RUSHES_DATA_DIR: dataDir,
    API_PORT: String(api),
    WEB_PORT: String(web),
    RUSHES_PG_PORT: String(pg),
    LOG_LEVEL: 'warn',
  };
});

afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function startPlatform(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Rushes is running')) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, output: () => output };
}

/** Every process descended from `pid`, read from /proc. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // Exited meanwhile.
    }
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

/** Running, not merely a zombie waiting for a parent (in containers pid 1 may never reap it). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

/** The processes of `pids` still running after up to `ms` (killed ones take a moment to go). */
async function survivors(pids: number[], ms = 3000): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The pid of the process descended from `pid` that runs `script` (e.g. the worker's main.js). */
async function processRunning(pid: number, script: string): Promise<number | undefined> {
  for (const candidate of await descendants(pid)) {
    const cmdline = await readFile(`/proc/${candidate}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(path.join(root, script)) && alive(candidate)) return candidate;
  }
  return undefined;
}

async function graphql(query: string, token?: string) {
  const response = await fetch(apiUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

describe('npm start', () => {
  it('runs the platform, stops it whole on Ctrl-C, and keeps the data for the next start', async () => {
    const first = await startPlatform();
    expect(first.output()).toMatch(/database {2}embedded PostgreSQL/);
    const health = await graphql('{ health { ok database } }');
    expect(health.data.health).toEqual({ ok: true, database: expect.stringMatching(/^PostgreSQL 1\d/) });
    const signUp = await graphql(
      'mutation { signUp(email: "admin@example.com", password: "long enough password") { token } }',
    );
    const created = await graphql(
      'mutation { createProduction(input: { name: "Kept", code: "KEPT" }) { id } }',
      signUp.data.signUp.token,
    );
    expect(created.errors).toBeUndefined();

    const family = await descendants(first.child.pid!);
    // postgres (+ its server processes), api, worker, web
    expect(family.length).toBeGreaterThanOrEqual(5);
    const exited = new Promise<number | null>((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await survivors(family)).toEqual([]);
    expect(first.output()).toContain('Stopped.');

    const second = await startPlatform();
    try {
      // Accounts, sessions and productions all survive the restart.
      const signIn = await graphql(
        'mutation { signIn(email: "admin@example.com", password: "long enough password") { token } }',
      );
      const list = await graphql('{ productions { nodes { code } } }', signIn.data.signIn.token);
      expect(list.data.productions.nodes).toEqual([{ code: 'KEPT' }]);
    } finally {
      const stopped = new Promise((resolve) => second.child.once('exit', resolve));
      second.child.kill('SIGTERM');
      await stopped;
    }
  }, 240_000);

  it('restarts a killed worker and a killed api, keeps the rest up, and does not restart on stop', async () => {
    const platform = await startPlatform();
    try {
      const start = platform.child.pid!;
      const health = async () => (await graphql('{ health { ok } }')).data?.health?.ok;
      const until = async <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const value = await check().catch(() => undefined);
          if (value !== undefined) return value;
          if (Date.now() > deadline) throw new Error(`${what} did not happen:\n${platform.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };

      // The worker, killed outright: a new one comes up, and the api answers all along.
      const worker = (await processRunning(start, 'apps/worker/dist/main.js'))!;
      const api = (await processRunning(start, 'apps/api/dist/main.js'))!;
      expect([worker, api].every(Boolean)).toBe(true);
      process.kill(worker, 'SIGKILL');
      const answers: unknown[] = [];
      const newWorker = await until('a new worker', async () => {
        answers.push(await health());
        const now = await processRunning(start, 'apps/worker/dist/main.js');
        return now && now !== worker && platform.output().includes(`restarted (pid ${now}, attempt 1)`)
          ? now
          : undefined;
      });
      expect(platform.output()).toMatch(
        /\[worker\] +exited unexpectedly \(signal SIGKILL\) after [\d.]+ m?s; restarting it in 1 s \(attempt 1\)/,
      );
      expect(answers.length).toBeGreaterThan(3);
      expect(answers.every((ok) => ok === true)).toBe(true);
      expect(await processRunning(start, 'apps/api/dist/main.js')).toBe(api);

      // The api, killed outright: a new one answers again; the worker is left alone.
      process.kill(api, 'SIGKILL');
      const newApi = await until('a new api', async () => {
        const now = await processRunning(start, 'apps/api/dist/main.js');
        return now && now !== api && (await health()) === true ? now : undefined;
      });
      expect(platform.output()).toMatch(
        /\[api\] +exited unexpectedly \(signal SIGKILL\) after [\d.]+ m?s; restarting it in 1 s \(attempt 1\)/,
      );
      expect(platform.output()).toContain(`[api]     restarted (pid ${newApi}, attempt 1)`);
      expect(await processRunning(start, 'apps/worker/dist/main.js')).toBe(newWorker);
      expect(alive(worker) || alive(api)).toBe(false);
    } finally {
      const family = await descendants(platform.child.pid!);
      const stopped = new Promise<number | null>((resolve) => platform.child.once('exit', resolve));
      platform.child.kill('SIGTERM');
      expect(await stopped).toBe(0);
      expect(await survivors(family)).toEqual([]);
    }
    // Stopping is not crashing: nothing was restarted after the stop began.
    const afterStop = platform.output().slice(platform.output().indexOf('Stopping Rushes…'));
    expect(afterStop).not.toMatch(/restart/);
    expect(afterStop).toContain('Stopped.');
  }, 240_000);

  it('does not restart a worker whose settings are invalid: it stops with status 78 and the reason', async () => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/start.ts')], {
      env: { ...env, WORKER_CONCURRENCY: 'lots' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(status).toBe(78);
    expect(output).toContain('WORKER_CONCURRENCY="lots"');
    expect(output).toMatch(
      /\[worker\] +exited unexpectedly \(status 78\) after [\d.]+ m?s; not restarting it: it exited with status 78 \(EX_CONFIG\)/,
    );
    expect(output).toContain('worker will not be restarted; stopping the rest.');
    expect(output).not.toMatch(/restarting it in|restarted \(pid/);
    expect(output).toContain('Stopped.');
  }, 240_000);
});
