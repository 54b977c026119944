/**
 * rushes-engine's --json output as another program gets it: whole when piped into a slow reader
 * (a pipe holds 64 KiB; what it has not taken when the process exits is lost), and JSON with a
 * code when the command fails.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMhlV2 } from '../src/manifest/ascmhl-v2.ts';
import { createGeneration } from '../src/manifest/create.ts';

const cli = path.resolve(import.meta.dirname, '../src/cli.ts');
const samples = path.resolve(import.meta.dirname, '../../../../shared/samples');
const xsd = path.resolve(import.meta.dirname, 'fixtures/ascmhl/ASCMHL.xsd');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'rushes-cli-out-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

function rushesEngine(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { timeout: 60_000 }, (_error, stdout, stderr) =>
      resolve({ status: child.exitCode ?? -1, stdout, stderr }),
    );
  });
}

/** `rushes-engine ARGS | (sleep 1; cat)`: the CLI's exit status and what the slow reader got. */
function pipedToSlowReader(...args: string[]): Promise<{ status: number; received: string }> {
  return new Promise((resolve, reject) => {
    const script = '"$0" "$@" | { sleep 1; cat; }; exit "${PIPESTATUS[0]}"';
    const child = spawn('bash', ['-c', script, process.execPath, cli, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status: status ?? -1, received: Buffer.concat(chunks).toString('utf8') }),
    );
  });
}

describe('rushes-engine --json', () => {
  it('hands a slow reader the whole document (> 64 KiB), then exits 0', async () => {
    const folder = path.join(scratch, 'many');
    await mkdir(folder, { recursive: true });
    const count = 400;
    for (let i = 0; i < count; i += 1) {
      await writeFile(
        path.join(folder, `A001C${String(i).padStart(3, '0')}_${'x'.repeat(60)}.mov`),
        `clip ${i}`,
      );
    }
    await createGeneration(folder, { algorithms: ['xxh64', 'md5'] });
    const { status, received } = await pipedToSlowReader('verify', folder, '--json');
    expect(received.length).toBeGreaterThan(64 * 1024);
    expect(status).toBe(0);
    const report = JSON.parse(received) as { ok: boolean; counts: { ok: number } };
    expect(report).toMatchObject({ ok: true, counts: { ok: count } });
  }, 60_000);

  it('reports failures as JSON with a code on stdout', async () => {
    const missing = await rushesEngine('verify', path.join(scratch, 'no-such-folder'), '--json');
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('no-such-folder') },
    });
    expect(missing.stderr).toBe('');

    const unknown = await rushesEngine('frobnicate', '--json');
    expect(unknown.status).toBe(2);
    expect(JSON.parse(unknown.stdout)).toEqual({
      error: { code: 'USAGE', message: 'unknown command "frobnicate"' },
    });

    const badOption = await rushesEngine('verify', '.', '--json', '--no-such-option');
    expect(badOption.status).toBe(2);
    expect(JSON.parse(badOption.stdout).error).toMatchObject({ code: 'USAGE' });

    const badAlgorithm = await rushesEngine('hash', cli, '--algo', 'crc32', '--json');
    expect(badAlgorithm.status).toBe(2);
    expect(JSON.parse(badAlgorithm.stdout).error).toEqual({
      code: 'USAGE',
      message: expect.stringContaining('unknown hash algorithm "crc32"'),
    });

    const xxh32 = await rushesEngine('mhl', 'create', scratch, '--algo', 'xxh32', '--json');
    expect(xxh32.status).toBe(2);
    expect(JSON.parse(xxh32.stdout).error.message).toMatch(/^ASC MHL v2 cannot record xxh32/);
  });

  it('keeps plain-text errors without --json', async () => {
    const missing = await rushesEngine('verify', path.join(scratch, 'no-such-folder'));
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^NOT_FOUND: ENOENT/);
  });

  it('names an unreadable manifest and still verifies the rest', async () => {
    const folder = path.join(scratch, 'broken-manifest');
    await cp(path.join(samples, 'mhl_v1/mhl_verify_md5'), folder, { recursive: true });
    await writeFile(path.join(folder, 'broken.mhl'), '<hashlist version="1.0"><hash>');
    const { status, stdout } = await rushesEngine('verify', folder);
    expect(status).toBe(1);
    expect(stdout).toMatch(/^ {2}UNREADABLE {4}broken\.mhl: not well-formed XML/m);
    expect(stdout).toContain('3 ok,');
  });
});

describe('rushes-engine mhl create --algo with several algorithms', () => {
  it('writes all of them, valid against the ASC MHL v2 XSD', async () => {
    const folder = path.join(scratch, 'several');
    await mkdir(path.join(folder, 'Clips'), { recursive: true });
    await writeFile(path.join(folder, 'Clips/A001C001.mov'), 'picture');
    const created = await rushesEngine('mhl', 'create', folder, '--algo', 'sha1,md5,xxh64,c4', '--json');
    expect(created.status).toBe(0);
    const { file } = JSON.parse(created.stdout) as { file: string };
    const g = parseMhlV2(await readFile(file));
    expect(g.entries[0]!.hashes.map((h) => h.algorithm)).toEqual(['c4', 'md5', 'sha1', 'xxh64']);
    const lint = await new Promise<string>((resolve) =>
      execFile('xmllint', ['--noout', '--schema', xsd, file], (_e, stdout, stderr) =>
        resolve(stdout + stderr),
      ),
    );
    expect(lint).toBe(`${file} validates\n`);
  });
});
