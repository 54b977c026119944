/**
 * Giving the engine a file to read: the local store's own file when there is one, otherwise a
 * download into the job's temporary folder, removed when the job ends. Folders of jobs that
 * crashed are swept at start-up.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '@rushes/storage';

export const JOBS_TEMP = path.join(tmpdir(), 'rushes-jobs');

export async function withLocalFile<T>(
  store: BlobStore,
  key: string,
  jobId: string,
  use: (file: string) => Promise<T>,
): Promise<T> {
  if (store.localPath) return use(store.localPath(key));
  const folder = path.join(JOBS_TEMP, jobId);
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

/** Removes what crashed jobs left behind (stateless workers keep nothing between jobs). */
export async function sweepJobFolders(): Promise<number> {
  const left = await readdir(JOBS_TEMP).catch(() => [] as string[]);
  await Promise.all(left.map((name) => rm(path.join(JOBS_TEMP, name), { recursive: true, force: true })));
  return left.length;
}
