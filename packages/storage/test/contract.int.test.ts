/**
 * One contract, two drivers: the local folder (its signed URLs served by `serveLocalBlob` on a
 * real http server) and S3 against a real S3-compatible server process (s3rver) on a free port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { startS3Server } from '../../../test/support/s3.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError, InvalidKeyError, InvalidRangeError, type BlobStore } from '../src/blob-store.ts';
import { serveLocalBlob } from '../src/local-http.ts';
import { LocalBlobStore } from '../src/local-store.ts';
import { readAll, S3BlobStore } from '../src/s3-store.ts';

interface Fixture {
  store: BlobStore;
  /** s3rver does not implement AbortMultipartUpload (real S3 and the local driver do). */
  abortsUploads: boolean;
  close(): Promise<void>;
}

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

async function localFixture(): Promise<Fixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'rushes-store-'));
  const holder: { store?: LocalBlobStore } = {};
  const server = createServer((req, res) => void serveLocalBlob(holder.store!, req, res));
  const port = await listen(server);
  const store = new LocalBlobStore({ root, secret: 'x'.repeat(32), publicUrl: `http://127.0.0.1:${port}` });
  holder.store = store;
  return {
    store,
    abortsUploads: true,
    async close() {
      server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function s3Fixture(): Promise<Fixture> {
  const server = await startS3Server();
  const store = new S3BlobStore({
    bucket: server.bucket,
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    prefix: 'test/',
  });
  return {
    store,
    abortsUploads: false,
    async close() {
      store.close();
      await server.close();
    },
  };
}

const bytes = (n: number, seed = 7) => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i += 1) b[i] = (i * 31 + seed) & 0xff;
  return b;
};

describe.each([
  ['local folder', localFixture],
  ['S3 (s3rver)', s3Fixture],
])('BlobStore on %s', (_name, make) => {
  let fixture: Fixture;
  let store: BlobStore;
  beforeAll(async () => {
    fixture = await make();
    store = fixture.store;
  });
  afterAll(() => fixture?.close());

  it('puts bytes and a stream, and reads them back whole', async () => {
    await store.put('a/small.bin', bytes(1000));
    const big = bytes(3 * 1024 * 1024 + 17);
    expect(
      await store.put('a/big.bin', Readable.from([big.subarray(0, 1_000_000), big.subarray(1_000_000)])),
    ).toEqual({ size: big.length });
    const read = await store.get('a/big.bin');
    expect(read).toMatchObject({ size: big.length, totalSize: big.length });
    expect((await readAll(read.stream)).equals(big)).toBe(true);
  });

  it('reads byte ranges, and refuses ranges outside the object', async () => {
    const data = bytes(1000);
    await store.put('r/range.bin', data);
    const middle = await store.get('r/range.bin', { start: 100, end: 199 });
    expect(middle).toMatchObject({ size: 100, totalSize: 1000 });
    expect((await readAll(middle.stream)).equals(data.subarray(100, 200))).toBe(true);
    const tail = await store.get('r/range.bin', { start: 990 });
    expect((await readAll(tail.stream)).equals(data.subarray(990))).toBe(true);
    await expect(store.get('r/range.bin', { start: 5000 })).rejects.toBeInstanceOf(InvalidRangeError);
  });

  it('heads, deletes idempotently, and reports absent objects', async () => {
    await store.put('d/x.bin', bytes(10));
    expect(await store.head('d/x.bin')).toMatchObject({
      key: 'd/x.bin',
      size: 10,
      lastModified: expect.any(Date),
    });
    await store.delete('d/x.bin');
    await store.delete('d/x.bin');
    expect(await store.head('d/x.bin')).toBeUndefined();
    await expect(store.get('d/x.bin')).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('lists a prefix in key order, and nothing else', async () => {
    for (const key of ['l/roll/b.mov', 'l/roll/a.mov', 'l/roll/sub/c.mov', 'l/rollover/d.mov'])
      await store.put(key, bytes(3));
    const keys: string[] = [];
    for await (const info of store.list('l/roll/')) keys.push(info.key);
    expect(keys).toEqual(['l/roll/a.mov', 'l/roll/b.mov', 'l/roll/sub/c.mov']);
  });

  it('refuses keys that could escape the store', async () => {
    for (const key of ['../etc/passwd', '/abs', 'a//b', 'a\\b', 'a/./b', '', 'a/\u0000b']) {
      await expect(store.put(key, bytes(1))).rejects.toBeInstanceOf(InvalidKeyError);
    }
  });

  it('assembles a multipart upload in part order, and forgets an aborted one', async () => {
    const part1 = bytes(5 * 1024 * 1024, 1);
    const part2 = bytes(5 * 1024 * 1024, 2);
    const part3 = bytes(1234, 3);
    const id = await store.beginMultipart('m/clip.mov');
    const p3 = await store.uploadPart('m/clip.mov', id, 3, part3);
    const p1 = await store.uploadPart('m/clip.mov', id, 1, part1);
    const p2 = await store.uploadPart('m/clip.mov', id, 2, Readable.from([part2]));
    expect(await store.completeMultipart('m/clip.mov', id, [p3, p1, p2])).toEqual({
      size: part1.length + part2.length + part3.length,
    });
    const whole = await readAll((await store.get('m/clip.mov')).stream);
    expect(whole.equals(Buffer.concat([part1, part2, part3]))).toBe(true);

    const aborted = await store.beginMultipart('m/aborted.mov');
    const part = await store.uploadPart('m/aborted.mov', aborted, 1, bytes(10));
    if (!fixture.abortsUploads) {
      // The test server's refusal reaches the caller instead of being swallowed.
      await expect(store.abortMultipart('m/aborted.mov', aborted)).rejects.toThrow(/not allowed/i);
      return;
    }
    await store.abortMultipart('m/aborted.mov', aborted);
    await expect(store.completeMultipart('m/aborted.mov', aborted, [part])).rejects.toThrow();
    expect(await store.head('m/aborted.mov')).toBeUndefined();
  });

  it('signs GET URLs that a plain HTTP client can use, with ranges', async () => {
    const data = bytes(2048);
    await store.put('s/proxy.mp4', data);
    const url = await store.signedGetUrl('s/proxy.mp4', {
      expiresInSeconds: 60,
      downloadName: 'A001C003 proxy.mp4',
    });
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);
    expect(whole.headers.get('content-disposition')).toContain("filename*=UTF-8''A001C003%20proxy.mp4");
    const part = await fetch(url, { headers: { range: 'bytes=1000-1099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 1000-1099/2048');
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(1000, 1100))).toBe(true);
  });

  it('signs PUT URLs for whole objects and for multipart parts', async () => {
    const put = await fetch(await store.signedPutUrl('u/upload.bin'), { method: 'PUT', body: bytes(321) });
    expect(put.status).toBe(200);
    expect((await store.head('u/upload.bin'))?.size).toBe(321);

    const id = await store.beginMultipart('u/parts.bin');
    const parts = [];
    for (const [n, body] of [
      [1, bytes(5 * 1024 * 1024, 4)],
      [2, bytes(99, 5)],
    ] as const) {
      const response = await fetch(await store.signedPartUrl('u/parts.bin', id, n), { method: 'PUT', body });
      expect(response.status).toBe(200);
      parts.push({ partNumber: n, etag: response.headers.get('etag') ?? '' });
    }
    expect(await store.completeMultipart('u/parts.bin', id, parts)).toEqual({ size: 5 * 1024 * 1024 + 99 });
  });
});

describe('local signed URLs', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await localFixture();
  });
  afterAll(() => fixture?.close());

  it('refuse a tampered key, another method, and an expired link', async () => {
    const { store } = fixture;
    await store.put('p/a.bin', bytes(10));
    await store.put('p/b.bin', bytes(10));
    const url = new URL(await store.signedGetUrl('p/a.bin'));
    const other = new URL(url);
    other.pathname = other.pathname.replace('a.bin', 'b.bin');
    expect((await fetch(other)).status).toBe(403);
    expect((await fetch(url, { method: 'PUT', body: 'x' })).status).toBe(403);
    const expired = await store.signedGetUrl('p/a.bin', { expiresInSeconds: -1 });
    const response = await fetch(expired);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('expired');
  });

  it('answers an unsatisfiable range with 416', async () => {
    const { store } = fixture;
    await store.put('p/c.bin', bytes(10));
    const response = await fetch(await store.signedGetUrl('p/c.bin'), { headers: { range: 'bytes=50-60' } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */10');
  });
});
