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
});
