/**
 * Job folders on a machine running several workers: a worker starting up sweeps what crashed
 * workers left, never the folders of workers still running (their jobs would lose their files).
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOBS_TEMP, jobFolder, sweepJobFolders } from '../src/files.ts';

const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
afterAll(() => alive.kill('SIGKILL'));

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('job folders', () => {
  it('are per process, and the sweep removes only those of processes that are gone', async () => {
    expect(path.dirname(path.dirname(jobFolder('job-1')))).toBe(JOBS_TEMP);
    expect(jobFolder('job-1')).toBe(path.join(JOBS_TEMP, String(process.pid), 'job-1'));
    const dead = await deadPid();
    const living = path.join(JOBS_TEMP, String(alive.pid), 'job-live');
    const crashed = path.join(JOBS_TEMP, String(dead), 'job-crashed');
    const legacy = path.join(JOBS_TEMP, '0b8a2c4e-job-from-an-old-version');
    for (const folder of [living, crashed, legacy]) {
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, 'partial.mov'), 'x');
    }
    try {
      expect(await sweepJobFolders()).toBeGreaterThanOrEqual(2);
      const left = await readdir(JOBS_TEMP);
      expect(left).toContain(String(alive.pid));
      expect(left).not.toContain(String(dead));
      expect(left).not.toContain(path.basename(legacy));
    } finally {
      await rm(path.join(JOBS_TEMP, String(alive.pid)), { recursive: true, force: true });
    }
  });
});
