/**
 * The camera originals this worker has read, kept on its local disk so that a clip's later jobs
 * (probe, every render) read the local copy instead of the store again: with S3, one download
 * per clip instead of one per job. Bounded: past `limitBytes`, the least recently used copies no
 * job is reading are removed (a copy larger than the limit is used, then removed). The worker
 * sends a clip's later jobs to itself first (worker.ts, WORKER_AFFINITY_SECONDS), so the copy is
 * there when they run.
 *
 * A copy is found by the object's key, size and modification time, so an original stored again
 * under the same key (a re-imported, changed file) is downloaded again. With the local driver
 * the store's own file is read in place and nothing is copied.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, type BlobStore } from '@rushes/storage';

interface Copy {
  file: string;
  size: number;
  /** Jobs reading it now: never removed while above 0. */
  readers: number;
  /** Settles when the download has ended. */
  ready: Promise<void>;
  downloaded: boolean;
}

export interface OriginalsCacheOptions {
  store: BlobStore;
  /** The folder the copies live in (this process's own: removed with it by the start-up sweep). */
  root: string;
  /** Bytes of copies kept once no job reads them. */
  limitBytes: number;
  /** Called for each job: its original was already here ("hit") or was downloaded ("miss"). */
  onRead?: (source: 'hit' | 'miss') => void;
}

export class OriginalsCache {
  /** In use order: the first entry is the least recently used. */
  readonly #copies = new Map<string, Copy>();
  readonly #options: OriginalsCacheOptions;
  constructor(options: OriginalsCacheOptions) {
    this.#options = options;
  }

  /** Bytes of finished copies held now. */
  get heldBytes(): number {
    let total = 0;
    for (const copy of this.#copies.values()) if (copy.downloaded) total += copy.size;
    return total;
  }

  /**
   * Runs `use` with a local file holding the object at `key`: the store's own file (local
   * driver), a copy already here, or a new download. The copy stays while `use` runs.
   */
  async use<T>(key: string, use: (file: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const { store } = this.#options;
    if (store.localPath) return use(store.localPath(key));
    const info = await store.head(key);
    if (!info) throw new BlobNotFoundError(key);
    const id = `${key}\u0000${info.size}\u0000${info.lastModified.getTime()}`;
    let copy = this.#copies.get(id);
    if (copy) {
      this.#options.onRead?.('hit');
      this.#copies.delete(id); // moved to the end: most recently used
    } else {
      this.#options.onRead?.('miss');
      // Under the original's own name: the engine reads names (reel, clip name) and says them in errors.
      const file = path.join(
        this.#options.root,
        createHash('sha256').update(id).digest('hex').slice(0, 32),
        path.posix.basename(key),
      );
      copy = { file, size: info.size, readers: 0, downloaded: false, ready: Promise.resolve() };
      copy.ready = this.#download(key, copy);
      // Each job awaiting it sees a failure; one that stopped waiting (aborted) must not leave it unhandled.
      copy.ready.catch(() => {});
    }
    this.#copies.set(id, copy);
    copy.readers += 1;
    try {
      await abortable(copy.ready, signal);
      return await use(copy.file);
    } finally {
      copy.readers -= 1;
      await this.#trim();
    }
  }

  async #download(key: string, copy: Copy): Promise<void> {
    try {
      await mkdir(path.dirname(copy.file), { recursive: true });
      const { stream } = await this.#options.store.get(key);
      await pipeline(stream, createWriteStream(copy.file));
      copy.downloaded = true;
    } catch (error) {
      // A failed download is never found again: the next job downloads anew.
      for (const [id, c] of this.#copies) if (c === copy) this.#copies.delete(id);
      await rm(path.dirname(copy.file), { recursive: true, force: true });
      throw error;
    }
  }

  /** Removes unread copies, least recently used first, until the rest fit the limit. */
  async #trim(): Promise<void> {
    let held = this.heldBytes;
    for (const [id, copy] of this.#copies) {
      if (held <= this.#options.limitBytes) break;
      if (copy.readers > 0 || !copy.downloaded) continue;
      this.#copies.delete(id);
      held -= copy.size;
      await rm(path.dirname(copy.file), { recursive: true, force: true });
    }
  }

  /** Removes every copy no job reads (the worker's stop). */
  async clear(): Promise<void> {
    for (const [id, copy] of this.#copies) {
      if (copy.readers > 0) continue;
      this.#copies.delete(id);
      await copy.ready.catch(() => {});
      await rm(path.dirname(copy.file), { recursive: true, force: true });
    }
  }
}

/** `promise`, or the signal's reason as soon as it aborts (the download itself goes on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
