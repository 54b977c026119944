/**
 * One streaming read of a file computes any set of checksums. The xxHash family runs on the
 * reading thread while the next chunk is being read (native @node-rs/xxhash for xxh32/xxh64/xxh3,
 * at ~17 GB/s; hash-wasm for xxh128, which @node-rs/xxhash cannot stream); the OpenSSL hashes run
 * on a worker thread fed with the same buffers. Only xxHashes asked for (the OpenSSL ones set the
 * pace otherwise): a file larger than one chunk is read and hashed on a kept worker thread, in
 * cache-sized blocking reads (xxhash-worker.ts; 1.18× a bare read instead of 1.5–1.9×). Memory stays flat: a fixed pool of buffers
 * circulates between the threads, whatever the file's size. A file that fits in one chunk is
 * hashed on the reading thread: starting a worker costs far more than hashing it (measured: 5 ms
 * for a tiny file's xxh64 against 350 ms for its md5 with a worker on a busy 2-core machine).
 */
import type { Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { XXHASH } from './xxhash.ts';
import type { XxhashReply, XxhashRequest } from './xxhash-worker.ts';
import { EngineError } from '../errors.ts';
import { OPENSSL_ALGORITHMS, type Digests, type HashAlgorithm } from './algorithms.ts';
import { c4FromSha512 } from './c4.ts';
import { createOpenSslHash } from './openssl.ts';

export interface HashOptions {
  /**
   * Bytes per read. Default: 2 MiB (a chunk still in the CPU cache when it is hashed). With only
   * xxHashes asked for, a larger file is read in 256 KiB slices on the xxHash thread and this is
   * how often progress is reported.
   */
  chunkSize?: number;
  /** Buffers in circulation (the memory bound is chunkSize × this). Default: 4. */
  buffers?: number;
  /** Stops reading and rejects with ABORTED. */
  signal?: AbortSignal;
  /** Called after each chunk with the bytes hashed so far and the file's size. */
  onProgress?: (bytes: number, total: number) => void;
}

const extension = path.extname(fileURLToPath(import.meta.url));
const workerUrl = new URL(`./openssl-worker${extension}`, import.meta.url);
const xxhashWorkerUrl = new URL(`./xxhash-worker${extension}`, import.meta.url);

/** Bytes per blocking read on the xxHash thread: read and hashed while in the core's cache. */
const SLICE_SIZE = 256 * 1024;

/** xxHash threads not hashing now, kept for the next file (unref'd: they never hold the process). */
const idleXxhashThreads: Worker[] = [];

function newXxhashThread(): Worker {
  const worker = new Worker(xxhashWorkerUrl);
  // One that fails while idle is forgotten (a request's own listener rejects that request).
  worker.on('error', () => {
    const index = idleXxhashThreads.indexOf(worker);
    if (index >= 0) idleXxhashThreads.splice(index, 1);
  });
  return worker;
}

/** The xxHashes of a file on a kept worker thread (see xxhash-worker.ts). */
async function hashOnXxhashThread(
  file: string,
  algorithms: HashAlgorithm[],
  size: number,
  options: { chunkSize: number; signal?: AbortSignal; onProgress?: (bytes: number, total: number) => void },
): Promise<Digests> {
  const worker = idleXxhashThreads.pop() ?? newXxhashThread();
  worker.ref();
  const abort = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = () => Atomics.store(abort, 0, 1);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let failed = false;
  try {
    const reply = await new Promise<XxhashReply>((resolve, reject) => {
      const onMessage = (message: XxhashReply) => {
        if ('progress' in message) return options.onProgress?.(message.progress, size);
        worker.off('message', onMessage).off('error', onError);
        resolve(message);
      };
      const onError = (error: Error) => {
        failed = true;
        worker.off('message', onMessage);
        reject(error);
      };
      worker.on('message', onMessage).once('error', onError);
      worker.postMessage({
        file,
        algorithms,
        sliceSize: SLICE_SIZE,
        progressEvery: options.onProgress ? options.chunkSize : 0,
        abort,
      } satisfies XxhashRequest);
    });
    // Aborted while the last slices were hashed: the caller asked to stop, so no digest.
    if ('aborted' in reply || options.signal?.aborted)
      throw new EngineError('ABORTED', `hashing ${file} was canceled`);
    if ('error' in reply) {
      const cause = Object.assign(new Error(reply.error.message), { code: reply.error.code });
      throw new EngineError('FILE_UNREADABLE', `cannot read ${file}: ${reply.error.message}`, { cause });
    }
    if ('digests' in reply) return reply.digests;
    throw new Error('unexpected reply from the xxHash thread');
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (failed) void worker.terminate();
    else {
      worker.unref();
      idleXxhashThreads.push(worker);
    }
  }
}

/** The OpenSSL side: a worker thread, or nothing when no OpenSSL hash was asked for. */
class OpenSslHashes {
  private readonly worker: Worker;
  private readonly returned: ArrayBuffer[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  private finished: Promise<Record<string, Uint8Array>>;

  constructor(algorithms: HashAlgorithm[]) {
    this.worker = new Worker(workerUrl, { workerData: { algorithms } });
    this.finished = new Promise((resolve, reject) => {
      this.worker.on('message', (message: { buffer?: ArrayBuffer; digests?: Record<string, Uint8Array> }) => {
        if (message.buffer) {
          this.returned.push(message.buffer);
          this.wake?.();
        } else if (message.digests) resolve(message.digests);
      });
      this.worker.on('error', (error) => {
        this.failure = error;
        this.wake?.();
        reject(error);
      });
    });
    this.finished.catch(() => {});
  }

  /** A buffer the worker has finished with, waiting for one when all are in use. */
  async take(): Promise<ArrayBuffer> {
    while (this.returned.length === 0) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return this.returned.shift()!;
  }

  give(buffer: ArrayBuffer, length: number): void {
    this.worker.postMessage({ buffer, length }, [buffer]);
  }

  async digests(): Promise<Record<string, Uint8Array>> {
    this.worker.postMessage({ end: true });
    try {
      return await this.finished;
    } finally {
      await this.worker.terminate();
    }
  }

  async abort(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The OpenSSL side for a file of one chunk: hashed on the reading thread, buffers handed straight back. */
class InlineOpenSslHashes {
  private readonly hashes: Map<string, Hash>;
  private readonly returned: ArrayBuffer[] = [];

  constructor(algorithms: HashAlgorithm[]) {
    this.hashes = new Map(algorithms.map((name) => [name, createOpenSslHash(name)]));
  }

  take(): Promise<ArrayBuffer> {
    return Promise.resolve(this.returned.shift()!);
  }

  give(buffer: ArrayBuffer, length: number): void {
    const view = new Uint8Array(buffer, 0, length);
    for (const hash of this.hashes.values()) hash.update(view);
    this.returned.push(buffer);
  }

  digests(): Promise<Record<string, Uint8Array>> {
    return Promise.resolve(Object.fromEntries([...this.hashes].map(([name, hash]) => [name, hash.digest()])));
  }

  abort(): Promise<void> {
    return Promise.resolve();
  }
}

export async function hashFile(
  file: string,
  algorithms: readonly HashAlgorithm[],
  options: HashOptions = {},
): Promise<Digests> {
  const { chunkSize = 2 * 1024 * 1024, buffers = 4, signal, onProgress } = options;
  const wanted = [...new Set(algorithms)];
  const xx = await Promise.all(
    wanted.filter((a) => XXHASH[a]).map(async (a) => [a, await XXHASH[a]!()] as const),
  );
  const openssl = wanted.filter((a) => OPENSSL_ALGORITHMS.has(a));

  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new EngineError('FILE_UNREADABLE', `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let size: number;
  try {
    ({ size } = await handle.stat());
  } catch (error) {
    await handle.close();
    throw error;
  }
  if (openssl.length === 0 && xx.length > 0 && size > chunkSize) {
    await handle.close();
    if (signal?.aborted) throw new EngineError('ABORTED', `hashing ${file} was canceled`);
    return hashOnXxhashThread(file, wanted, size, { chunkSize, signal, onProgress });
  }
  const offloaded =
    openssl.length === 0
      ? undefined
      : size <= chunkSize
        ? new InlineOpenSslHashes(openssl)
        : new OpenSslHashes(openssl);
  // Two buffers at least: one being read while the other is hashed.
  const pool = Array.from({ length: Math.max(buffers, 2) }, () => new ArrayBuffer(chunkSize));
  let position = 0;
  const readInto = (buffer: ArrayBuffer) =>
    handle.read(new Uint8Array(buffer), 0, chunkSize, position).then(({ bytesRead }) => {
      position += bytesRead;
      return { buffer, bytesRead };
    });
  const readNext = () => {
    const free = pool.pop();
    return free ? readInto(free) : offloaded!.take().then(readInto);
  };
  let reading: ReturnType<typeof readNext> | undefined;
  try {
    reading = readNext();
    let hashed = 0;
    for (;;) {
      const { buffer, bytesRead } = await reading;
      if (bytesRead === 0) break;
      if (signal?.aborted) throw new EngineError('ABORTED', `hashing ${file} was canceled`);
      reading = readNext();
      const view = new Uint8Array(buffer, 0, bytesRead);
      for (const [, hasher] of xx) hasher.update(view);
      if (offloaded) offloaded.give(buffer, bytesRead);
      else pool.push(buffer);
      hashed += bytesRead;
      onProgress?.(hashed, size);
    }
    const digests: Digests = {};
    for (const [name, hasher] of xx) digests[name] = hasher.hex();
    if (offloaded) {
      const raw = await offloaded.digests();
      for (const name of openssl) {
        const digest = raw[name]!;
        digests[name] = name === 'c4' ? c4FromSha512(digest) : Buffer.from(digest).toString('hex');
      }
    }
    return digests;
  } catch (error) {
    await reading?.catch(() => {});
    await offloaded?.abort();
    throw error;
  } finally {
    await handle.close();
  }
}
