/**
 * Giving the engine a file to read: the local store's own file when there is one, otherwise a
 * download into the job's temporary folder, removed when the job ends. Each worker process has
 * its own folder (`rushes-jobs/<pid>/<job>`); at start-up a worker removes those of processes
 * that are gone (crashed workers), never those of workers still running on the same machine.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '@rushes/storage';

export const JOBS_TEMP = path.join(tmpdir(), 'rushes-jobs');

/** The temporary folder of one job of this process. */
export function jobFolder(jobId: string): string {
  return path.join(JOBS_TEMP, String(process.pid), jobId);
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

export async function withLocalFile<T>(
  store: BlobStore,
  key: string,
  jobId: string,
  use: (file: string) => Promise<T>,
): Promise<T> {
  if (store.localPath) return use(store.localPath(key));
  const folder = jobFolder(jobId);
  await mkdir(folder, { recursive: true });
  try {
    const file = path.join(folder, path.posix.basename(key));
    const { stream } = await store.get(key);
    await pipeline(stream, createWriteStream(file));
    return await use(file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Removes what crashed workers left behind (stateless workers keep nothing between jobs). */
export async function sweepJobFolders(): Promise<number> {
  const left = await readdir(JOBS_TEMP).catch(() => [] as string[]);
  const orphaned = left.filter((name) => !/^\d+$/.test(name) || !processRuns(Number(name)));
  await Promise.all(orphaned.map((name) => rm(path.join(JOBS_TEMP, name), { recursive: true, force: true })));
  return orphaned.length;
}
