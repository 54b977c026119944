/**
 * A newcomer's first minutes: a fresh copy of the repository, `npm ci`, then `npx rushes --help`
 * and `npx rushes-engine --help` as the README says — no build step in between. The copy holds
 * exactly what a clone would (git's tracked files plus new, not ignored ones, so uncommitted work
 * is tested too; in CI that is the commit). Heavy (an install and a build, a few minutes on two
 * cores): npm reads packages from its cache (`--prefer-offline`).
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const clone = mkdtempSync(path.join(tmpdir(), 'rushes-fresh-clone-'));
// The Node running the tests (≥ 22.18) first on PATH, for npm, npx and the commands.
const env = {
  ...process.env,
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`,
};

function run(command: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { cwd: clone, env, timeout: 480_000, maxBuffer: 64 * 1024 * 1024 },
      (_error, stdout, stderr) => resolve({ status: child.exitCode ?? -1, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(path.join(root, file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
    cpSync(path.join(root, file), path.join(clone, file));
  }
  const install = await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund']);
  expect(install.status, install.stderr).toBe(0);
}, 600_000);

afterAll(() => rmSync(clone, { recursive: true, force: true }));

describe('a fresh clone after npm install', () => {
  it('has no build output yet: the commands must build what they run', () => {
    expect(existsSync(path.join(clone, 'apps/cli/dist'))).toBe(false);
    expect(existsSync(path.join(clone, 'packages/engine/dist'))).toBe(false);
  });

  it('runs `npx rushes-engine --help`, building the engine (and what it needs) first', async () => {
    const engine = await run('npx', ['rushes-engine', '--help']);
    expect(engine.stderr).toContain('@rushes/engine is not built yet: building it once');
    expect(engine.stdout).toContain('rushes-engine probe <file|dir> [--json]');
    expect(engine.status).toBe(0);
  }, 600_000);

  it('runs `npx rushes --help`, building the CLI once with a line on stderr, stdout left clean', async () => {
    const first = await run('npx', ['rushes', '--help']);
    expect(first.stderr).toContain('@rushes/cli is not built yet: building it once');
    expect(first.stdout).toMatch(/^usage:\n {2}rushes ingest /);
    expect(first.status).toBe(0);
    const again = await run('npx', ['rushes', '--help']);
    expect(again).toEqual({ status: 0, stdout: first.stdout, stderr: '' });
  }, 600_000);
});
