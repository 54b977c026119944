/**
 * Worker thread of `hashFile` for the xxHash family alone: reads the file in cache-sized slices
 * with blocking reads and hashes each slice while it is still in this core's cache. A read on
 * libuv's pool lands the bytes in another core's cache and the hashing thread fetches them again
 * (measured on 512 MiB in the page cache: 2 MiB async reads hashed on the main thread took 1.5–1.9×
 * a bare read; 256 KiB blocking reads hashed on one thread 1.18×). Kept between files (the
 * thread's start costs more than hashing a small file); one request at a time.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { HashAlgorithm } from './algorithms.ts';
import { XXHASH } from './xxhash.ts';

export interface XxhashRequest {
  file: string;
  algorithms: HashAlgorithm[];
  /** Bytes per read: small enough to stay in the core's cache between read and hash. */
  sliceSize: number;
  /** A progress message every this many bytes (0: none). */
  progressEvery: number;
  /** Set to 1 by the requester to stop (checked after each slice). */
  abort: Int32Array;
}

export type XxhashReply =
  | { progress: number }
  | { digests: Partial<Record<HashAlgorithm, string>> }
  | { aborted: true }
  | { error: { message: string; code?: string; opening: boolean } };

let buffer = Buffer.allocUnsafe(0);

async function hash(request: XxhashRequest): Promise<XxhashReply> {
  const hashers = await Promise.all(request.algorithms.map(async (a) => [a, await XXHASH[a]!()] as const));
  if (buffer.length !== request.sliceSize) buffer = Buffer.allocUnsafe(request.sliceSize);
  let fd: number;
  try {
    fd = openSync(request.file, 'r');
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    return { error: { message, code, opening: true } };
  }
  try {
    let position = 0;
    let reported = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      const view = read === buffer.length ? buffer : buffer.subarray(0, read);
      for (const [, hasher] of hashers) hasher.update(view);
      position += read;
      if (Atomics.load(request.abort, 0) === 1) return { aborted: true };
      if (request.progressEvery > 0 && position - reported >= request.progressEvery) {
        reported = position;
        parentPort!.postMessage({ progress: position } satisfies XxhashReply);
      }
    }
    if (request.progressEvery > 0 && position > reported)
      parentPort!.postMessage({ progress: position } satisfies XxhashReply);
    return { digests: Object.fromEntries(hashers.map(([name, hasher]) => [name, hasher.hex()])) };
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    return { error: { message, code, opening: false } };
  } finally {
    closeSync(fd);
  }
}

parentPort!.on('message', (request: XxhashRequest) => {
  void hash(request).then((reply) => parentPort!.postMessage(reply));
});
