/**
 * The worker's temporary folders (downloaded originals: originals.ts; render output). Each worker process has
 * its own folder (`rushes-jobs/<pid>-<start>/<job>`, `<start>` the process's start time from
 * /proc, a random id where there is none): a pid alone repeats (every container's worker is pid
 * 1), a pid with its start time names one process instance. At start-up a worker removes the
 * folders of instances that are gone (crashed workers, earlier runs of the container), never
 * those of workers still running on the same machine.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const JOBS_TEMP = path.join(tmpdir(), 'rushes-jobs');

/** When process `pid` started (clock ticks since boot), from /proc; undefined where unknown. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2, in parentheses) may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The name of a process instance's folder: `<pid>-<start>`. */
export function instanceName(pid: number): string | undefined {
  const start = processStart(pid);
  return start === undefined ? undefined : `${pid}-${start}`;
}

/** This process's folder name. */
export const INSTANCE = instanceName(process.pid) ?? `${process.pid}-${randomUUID()}`;

/** The temporary folder of one job of this process. */
export function jobFolder(jobId: string): string {
  return path.join(JOBS_TEMP, INSTANCE, jobId);
}

/**
 * Whether the instance a folder is named after still runs: its pid runs and, where start times
 * are known, started when the name says (otherwise the pid was reused).
 */
export function instanceRuns(name: string): boolean {
  const match = /^(\d+)-(.+)$/.exec(name);
  if (!match) return false;
  const pid = Number(match[1]);
  if (!processRuns(pid)) return false;
  const start = processStart(pid);
  return start === undefined || start === match[2] || name === INSTANCE;
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes what crashed workers left behind (stateless workers keep nothing between jobs). */
export async function sweepJobFolders(root = JOBS_TEMP): Promise<number> {
  const left = await readdir(root).catch(() => [] as string[]);
  const orphaned = left.filter((name) => !instanceRuns(name));
  await Promise.all(orphaned.map((name) => rm(path.join(root, name), { recursive: true, force: true })));
  return orphaned.length;
}
