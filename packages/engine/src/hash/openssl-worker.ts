/**
 * Worker thread of `hashFile`: runs the OpenSSL hashes (md5, sha1, SHA-512 for C4) so they do
 * not slow down the thread that reads the file and runs the xxHashes. Receives chunks as
 * transferred ArrayBuffers and hands each buffer back for reuse.
 */
import type { Hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { createOpenSslHash } from './openssl.ts';

const hashes = new Map<string, Hash>(
  (workerData as { algorithms: string[] }).algorithms.map((name) => [name, createOpenSslHash(name)]),
);

parentPort!.on('message', (message: { buffer: ArrayBuffer; length: number } | { end: true }) => {
  if ('end' in message) {
    const digests: Record<string, Uint8Array> = {};
    for (const [name, hash] of hashes) digests[name] = hash.digest();
    parentPort!.postMessage({ digests });
    return;
  }
  const view = new Uint8Array(message.buffer, 0, message.length);
  for (const hash of hashes.values()) hash.update(view);
  parentPort!.postMessage({ buffer: message.buffer }, [message.buffer]);
});
