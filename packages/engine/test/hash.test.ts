import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAlgorithms } from '../src/hash/algorithms.ts';
import { c4FromSha512, isC4 } from '../src/hash/c4.ts';
import { hashFile } from '../src/hash/hash-file.ts';

const samples = path.resolve(import.meta.dirname, '../../../../shared/samples');
let folder: string;
let big: string;
let empty: string;

/** The reference tools' answers (coreutils and xxhsum, which CI installs). */
function reference(tool: string, args: string[], file: string): string {
  const line = execFileSync(tool, [...args, file], { encoding: 'utf8' }).trim();
  // GNU style `digest  file`, or BSD style `XXH3 (file) = digest`.
  return (line.includes(' = ') ? line.split(' = ').pop()! : line.split(/\s+/)[0]!).toLowerCase();
}

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'rushes-hash-'));
  big = path.join(folder, 'big.bin');
  // 9.5 MiB of varied bytes: crosses several chunk and buffer-pool boundaries.
  const data = Buffer.alloc(9.5 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 1) data[i] = (i * 2654435761) >>> 24;
  await writeFile(big, data);
  empty = path.join(folder, 'empty.bin');
  await writeFile(empty, '');
});

afterAll(() => rm(folder, { recursive: true, force: true }));

describe('hashFile', () => {
  it('computes every algorithm in one read, matching md5sum, sha1sum and xxhsum', async () => {
    const digests = await hashFile(big, ['xxh64', 'xxh128', 'xxh3', 'md5', 'sha1', 'c4', 'xxh32'], {
      chunkSize: 1024 * 1024,
      buffers: 3,
    });
    expect(digests.md5).toBe(reference('md5sum', [], big));
    expect(digests.sha1).toBe(reference('sha1sum', [], big));
    expect(digests.xxh64).toBe(reference('xxhsum', ['-H1'], big));
    expect(digests.xxh128).toBe(reference('xxhsum', ['-H2'], big));
    expect(digests.xxh3).toBe(reference('xxhsum', ['-H3'], big));
    expect(digests.xxh32).toBe(reference('xxhsum', ['-H0'], big));
    expect(isC4(digests.c4!)).toBe(true);
  });

  it('gives the same digests whatever the chunk size', async () => {
    const a = await hashFile(big, ['xxh64', 'md5'], { chunkSize: 65_536 });
    const b = await hashFile(big, ['xxh64', 'md5'], { chunkSize: 7 * 1024 * 1024 + 3 });
    expect(a).toEqual(b);
  });

  it('gives the same OpenSSL digests for a file of one chunk (hashed inline) as read in chunks', async () => {
    const oneChunk = await hashFile(big, ['md5', 'sha1', 'c4'], { chunkSize: 10 * 1024 * 1024 });
    expect(oneChunk).toEqual(await hashFile(big, ['md5', 'sha1', 'c4'], { chunkSize: 1024 * 1024 }));
    expect(oneChunk.md5).toBe(reference('md5sum', [], big));
    expect(oneChunk.sha1).toBe(reference('sha1sum', [], big));
  });

  it('hashes an empty file to the published empty digests', async () => {
    expect(await hashFile(empty, ['xxh64', 'xxh128', 'md5'])).toEqual({
      xxh64: 'ef46db3751d8e999',
      xxh128: '99aa06d3014798d86001c324468d497f',
      md5: 'd41d8cd98f00b204e9800998ecf8427e',
    });
  });

  it('names the C4 id of an ASC MHL generation as its chain file does', async () => {
    const generation = path.join(
      samples,
      'mhl_v2/scenario_03/file_server/A002R2EC/ascmhl/0001_A002R2EC_2020-01-16_091500Z.mhl',
    );
    expect((await hashFile(generation, ['c4'])).c4).toBe(
      'c43qQABrjeiU3kteaNFtgwufQRLKxgMJEZfNSj6LcZ8fKwB568U8As9eScRsnb64NfqiAYzjNUXs81tAxPB77PUThb',
    );
  });

  it('hashes the xxHash family alone on its thread, matching xxhsum, two files at once', async () => {
    // Only xxHashes and more than one chunk: the kept xxHash thread (xxhash-worker.ts), two of them.
    const [a, b] = await Promise.all([
      hashFile(big, ['xxh64', 'xxh128', 'xxh3', 'xxh32'], { chunkSize: 1024 * 1024 }),
      hashFile(big, ['xxh64'], { chunkSize: 1024 * 1024 }),
    ]);
    expect(a).toEqual({
      xxh64: reference('xxhsum', ['-H1'], big),
      xxh128: reference('xxhsum', ['-H2'], big),
      xxh3: reference('xxhsum', ['-H3'], big),
      xxh32: reference('xxhsum', ['-H0'], big),
    });
    expect(b).toEqual({ xxh64: a.xxh64 });
    // The same digest as the inline path (one chunk) and the pipelined one (with md5).
    expect((await hashFile(big, ['xxh64'], { chunkSize: 16 * 1024 * 1024 })).xxh64).toBe(a.xxh64);
    expect((await hashFile(big, ['xxh64', 'md5'], { chunkSize: 1024 * 1024 })).xxh64).toBe(a.xxh64);
  });

  it('stops the xxHash thread when aborted, with ABORTED, and hashes the next file', async () => {
    const controller = new AbortController();
    const running = hashFile(big, ['xxh64'], {
      chunkSize: 1024 * 1024,
      signal: controller.signal,
      onProgress: (bytes) => bytes >= 1024 * 1024 && controller.abort(),
    });
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
    expect((await hashFile(big, ['xxh64'], { chunkSize: 1024 * 1024 })).xxh64).toBe(
      reference('xxhsum', ['-H1'], big),
    );
  });

  it('reports progress up to the file size', async () => {
    const seen: number[] = [];
    await hashFile(big, ['xxh64'], { chunkSize: 4 * 1024 * 1024, onProgress: (bytes) => seen.push(bytes) });
    expect(seen).toEqual([4194304, 8388608, 9961472]);
  });

  it('stops when aborted, with ABORTED', async () => {
    const controller = new AbortController();
    const running = hashFile(big, ['xxh64', 'md5'], {
      chunkSize: 65_536,
      signal: controller.signal,
      onProgress: (bytes) => bytes > 1_000_000 && controller.abort(),
    });
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('reports a missing file as FILE_UNREADABLE', async () => {
    await expect(hashFile(path.join(folder, 'nope'), ['md5'])).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
    });
  });
});

describe('algorithm names', () => {
  it('reads lists with the aliases MHL files use', () => {
    expect(parseAlgorithms('xxh64, MD5,xxhash64')).toEqual(['xxh64', 'md5']);
    expect(parseAlgorithms('xxh3_128,xxhash')).toEqual(['xxh128', 'xxh32']);
  });

  it('refuses an unknown algorithm by name', () => {
    expect(() => parseAlgorithms('xxh64,crc32')).toThrow('unknown hash algorithm "crc32"');
  });
});

describe('C4 ids', () => {
  it('refuses a digest that is not SHA-512', () => {
    expect(() => c4FromSha512(new Uint8Array(32))).toThrow('64-byte');
  });

  it('pads small numbers with the base58 zero', () => {
    const id = c4FromSha512(new Uint8Array(64));
    expect(id).toBe(`c4${'1'.repeat(88)}`);
  });
});
