/**
 * Serves the local driver's signed URLs over HTTP (mounted by the api at `/blobs/`): GET with
 * Range support (206, 416) and a download name, PUT of whole objects and of multipart parts.
 * Every request must carry a valid, unexpired signature for its method and key.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, InvalidKeyError, InvalidRangeError, type ByteRange } from './blob-store.ts';
import type { LocalBlobStore } from './local-store.ts';

/** Pure: `bytes=0-99`, `bytes=100-`, `bytes=-500` (the last 500) → a range, given the size. */
export function parseRangeHeader(
  header: string | undefined,
  size: number,
): ByteRange | undefined | 'invalid' {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  if (m[1] === '') return { start: Math.max(size - Number(m[2]), 0) };
  return { start: Number(m[1]), ...(m[2] !== '' ? { end: Number(m[2]) } : {}) };
}

function fail(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}

/** Handles a request whose path starts with `mount` (default `/blobs/`). */
export async function serveLocalBlob(
  store: LocalBlobStore,
  req: IncomingMessage,
  res: ServerResponse,
  mount = '/blobs/',
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  if (!url.pathname.startsWith(mount)) return fail(res, 404, 'not found');
  let key: string;
  try {
    key = url.pathname.slice(mount.length).split('/').map(decodeURIComponent).join('/');
  } catch {
    return fail(res, 400, 'malformed key');
  }
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (method !== 'GET' && method !== 'PUT') return fail(res, 405, 'only GET and PUT');
  const expires = Number(url.searchParams.get('expires'));
  const signature = url.searchParams.get('signature') ?? '';
  const uploadId = url.searchParams.get('uploadId');
  const partNumber = Number(url.searchParams.get('partNumber'));
  const name = url.searchParams.get('name');
  const extra =
    method === 'PUT' && uploadId ? `${uploadId}:${partNumber}` : method === 'GET' && name ? name : undefined;
  const verdict = store.verifySignature({ method, key, expires, ...(extra ? { extra } : {}) }, signature);
  if (verdict === 'expired') return fail(res, 403, 'this link has expired');
  if (verdict !== 'ok') return fail(res, 403, 'invalid signature');
  try {
    if (method === 'PUT') {
      if (uploadId) {
        const part = await store.uploadPart(key, uploadId, partNumber, req);
        res.writeHead(200, { etag: part.etag });
      } else {
        await store.put(key, req);
        res.writeHead(200);
      }
      res.end();
      return;
    }
    const info = await store.head(key);
    if (!info) throw new BlobNotFoundError(key);
    const range = parseRangeHeader(req.headers.range, info.size);
    if (range === 'invalid') throw new InvalidRangeError(`unsupported Range header "${req.headers.range}"`);
    const read = await store.get(key, range);
    const headers: Record<string, string | number> = {
      'content-length': read.size,
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
      'cache-control': 'private, max-age=300',
      ...(name ? { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` } : {}),
    };
    if (range) {
      const start = range.start;
      headers['content-range'] = `bytes ${start}-${start + read.size - 1}/${read.totalSize}`;
    }
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD') {
      read.stream.destroy();
      res.end();
      return;
    }
    await pipeline(read.stream, res);
  } catch (error) {
    if (res.headersSent) {
      res.destroy(error as Error);
      return;
    }
    if (error instanceof BlobNotFoundError) return fail(res, 404, 'no such object');
    if (error instanceof InvalidRangeError) {
      const size = (await store.head(key).catch(() => undefined))?.size;
      res.writeHead(416, size === undefined ? {} : { 'content-range': `bytes */${size}` });
      res.end();
      return;
    }
    if (error instanceof InvalidKeyError || error instanceof RangeError)
      return fail(res, 400, (error as Error).message);
    throw error;
  }
}
