/**
 * The worker's local copies of camera originals, against a real S3 server (s3rver) whose bytes
 * on the wire are counted by the relay in front of it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobNotFoundError, type S3BlobStore } from '@rushes/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../test/support/s3.ts';
import { OriginalsCache } from '../src/originals.ts';

let s3: S3Server;
let store: S3BlobStore;
let root: string;
const reads: string[] = [];

beforeAll(async () => {
  s3 = await startS3Server();
  store = s3.store();
  root = await mkdtemp(path.join(tmpdir(), 'rushes-originals-'));
  for (const name of ['a', 'b', 'c']) await store.put(`cards/${name}.mov`, Buffer.alloc(1000, name));
});
afterAll(async () => {
  store.close();
  await s3.close();
  await rm(root, { recursive: true, force: true });
});

const cache = (limitBytes: number) =>
  new OriginalsCache({ store, root, limitBytes, onRead: (source) => reads.push(source) });
const readOf = (name: string) => s3.bytesRead((p) => p.endsWith(`/cards/${name}.mov`));

describe('local copies of originals', () => {
  it('downloads an original once for every job that reads it, at once or later', async () => {
    const originals = cache(10_000);
    reads.length = 0;
    const contents = await Promise.all(
      [1, 2, 3].map(() => originals.use('cards/a.mov', (file) => readFile(file, 'latin1'))),
    );
    await originals.use('cards/a.mov', async () => {});
    expect(contents).toEqual(Array(3).fill('a'.repeat(1000)));
    // Under its own name: the engine reads names (reel, clip name) and says them in errors.
    expect(await originals.use('cards/a.mov', async (file) => path.basename(file))).toBe('a.mov');
    expect(readOf('a')).toBe(1000);
    expect(reads).toEqual(['miss', 'hit', 'hit', 'hit', 'hit']);
    await originals.clear();
    expect(await readdir(root)).toEqual([]);
  });

  it('removes the least recently used copies past its limit, never one being read', async () => {
    const originals = cache(2000);
    const before = { a: readOf('a'), b: readOf('b'), c: readOf('c') };
    let fileOfA = '';
    await originals.use('cards/a.mov', async (file) => {
      fileOfA = file;
      await originals.use('cards/b.mov', async () => {});
      await originals.use('cards/c.mov', async () => {});
      // Three copies held (3000 > 2000): a is read now, so the oldest unread one (b) went.
      expect(existsSync(file)).toBe(true);
      expect(originals.heldBytes).toBe(2000);
    });
    // a is now unread and the least recently used: it goes once the limit needs it to.
    await originals.use('cards/b.mov', async () => {});
    expect(existsSync(fileOfA)).toBe(false);
    expect(originals.heldBytes).toBe(2000);
    expect({ a: readOf('a'), b: readOf('b'), c: readOf('c') }).toEqual({
      a: before.a + 1000,
      b: before.b + 2000, // downloaded again after it was removed
      c: before.c + 1000,
    });
    await originals.clear();
  });

  it('downloads again an original stored anew under the same key', async () => {
    const originals = cache(10_000);
    expect(await originals.use('cards/c.mov', (file) => readFile(file, 'latin1'))).toBe('c'.repeat(1000));
    // A re-copied file; s3rver's modification times have one-second steps.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await store.put('cards/c.mov', Buffer.alloc(1200, 'd'));
    expect(await originals.use('cards/c.mov', (file) => readFile(file, 'latin1'))).toBe('d'.repeat(1200));
    await originals.clear();
  });

  it('says which object is missing, and keeps nothing of it', async () => {
    const originals = cache(10_000);
    await expect(originals.use('cards/none.mov', async () => {})).rejects.toThrow(BlobNotFoundError);
    await expect(originals.use('cards/none.mov', async () => {})).rejects.toThrow(/cards\/none\.mov/);
    expect(originals.heldBytes).toBe(0);
  });
});
