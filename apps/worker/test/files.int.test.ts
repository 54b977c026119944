/**
 * Job folders on a machine running several workers: a worker starting up sweeps what crashed
 * workers left, never the folders of workers still running (their jobs would lose their files).
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { instanceName, JOBS_TEMP, jobFolder, processStart, sweepJobFolders } from '../src/files.ts';

const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
afterAll(() => alive.kill('SIGKILL'));

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('job folders', () => {
  it('are per process instance, and the sweep removes only those of instances that are gone', async () => {
    expect(path.dirname(path.dirname(jobFolder('job-1')))).toBe(JOBS_TEMP);
    const self = `${process.pid}-${processStart(process.pid)}`;
    expect(jobFolder('job-1')).toBe(path.join(JOBS_TEMP, self, 'job-1'));
    const dead = await deadPid();
    const aliveName = instanceName(alive.pid!)!;
    expect(aliveName).toMatch(new RegExp(`^${alive.pid}-\\d+$`));
    const living = path.join(JOBS_TEMP, aliveName, 'job-live');
    const crashed = path.join(JOBS_TEMP, `${dead}-1`, 'job-crashed');
    // The same pid, another start: a container's earlier pid 1 (the pid was reused).
    const reused = path.join(JOBS_TEMP, `${alive.pid}-1`, 'job-of-an-earlier-run');
    const legacy = path.join(JOBS_TEMP, '0b8a2c4e-job-from-an-old-version');
    const pidOnly = path.join(JOBS_TEMP, String(dead), 'job-of-an-old-version');
    for (const folder of [living, crashed, reused, legacy, pidOnly]) {
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, 'partial.mov'), 'x');
    }
    try {
      expect(await sweepJobFolders()).toBeGreaterThanOrEqual(4);
      const left = await readdir(JOBS_TEMP);
      expect(left).toContain(aliveName);
      expect(left).not.toContain(`${dead}-1`);
      expect(left).not.toContain(`${alive.pid}-1`);
      expect(left).not.toContain(String(dead));
      expect(left).not.toContain(path.basename(legacy));
    } finally {
      await rm(path.join(JOBS_TEMP, aliveName), { recursive: true, force: true });
    }
  });
});
