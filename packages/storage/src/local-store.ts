/**
 * The local-folder driver: objects are files under `root`, written to a temporary name and
 * renamed into place; multipart parts wait under `.multipart/<uploadId>/`. Signed URLs point at
 * the api (`publicUrl` + `/blobs/<key>`), which checks them with `verifySignature`.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertValidKey,
  BlobNotFoundError,
  resolveRange,
  type BlobInfo,
  type BlobRead,
  type BlobStore,
  type ByteRange,
  type SignOptions,
  type UploadedPart,
} from './blob-store.ts';
import { linkSigner, type LinkSigner, type SignedRequest, type Verdict } from './signing.ts';

export interface LocalStoreOptions {
  /** Folder holding the objects; created when missing. */
  root: string;
  /** Secret for signed URLs (at least 32 characters). */
  secret: string;
  /** Base of signed URLs, e.g. `http://localhost:4000` (the api serves `/blobs/…`). */
  publicUrl: string;
}

const INTERNAL = '.multipart';
const TEMP = '.tmp';

function toStream(body: Readable | Uint8Array): Readable {
  return body instanceof Uint8Array ? Readable.from([body]) : body;
}

export class LocalBlobStore implements BlobStore {
  readonly driver = 'local' as const;
  private readonly root: string;
  private readonly signer: LinkSigner;
  private readonly publicUrl: string;

  constructor(options: LocalStoreOptions) {
    if (options.secret.length < 32)
      throw new Error('the local store needs a signing secret of at least 32 characters');
    this.root = path.resolve(options.root);
    this.signer = linkSigner(options.secret, 'blob');
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    if (key.split('/')[0] === INTERNAL || key.split('/')[0] === TEMP) {
      throw new BlobNotFoundError(key);
    }
    return path.join(this.root, ...key.split('/'));
  }

  /** Writes `body` to a temporary file, then moves it to `target` (atomic on one file system). */
  private async writeAtomically(target: string, body: Readable | Uint8Array): Promise<number> {
    const temp = path.join(this.root, TEMP, randomUUID());
    await mkdir(path.dirname(temp), { recursive: true });
    try {
      await pipeline(toStream(body), createWriteStream(temp));
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return (await stat(target)).size;
  }

  async put(key: string, body: Readable | Uint8Array): Promise<{ size: number }> {
    return { size: await this.writeAtomically(this.pathOf(key), body) };
  }

  async get(key: string, range?: ByteRange): Promise<BlobRead> {
    const file = this.pathOf(key);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new BlobNotFoundError(key);
    if (info.size === 0 && !range) return { stream: Readable.from([]), size: 0, totalSize: 0 };
    const { start, end } = resolveRange(range, info.size);
    return { stream: createReadStream(file, { start, end }), size: end - start + 1, totalSize: info.size };
  }

  localPath(key: string): string {
    return this.pathOf(key);
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    const info = await stat(this.pathOf(key)).catch(() => undefined);
    return info?.isFile() ? { key, size: info.size, lastModified: info.mtime } : undefined;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    const found: string[] = [];
    const walk = async (relative: string): Promise<void> => {
      const entries = await readdir(path.join(this.root, relative), { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!relative && (entry.name === INTERNAL || entry.name === TEMP)) continue;
        const key = relative ? `${relative}/${entry.name}` : entry.name;
        // Descend only into folders that can hold keys with the prefix.
        if (entry.isDirectory() && (key.startsWith(prefix) || prefix.startsWith(`${key}/`))) await walk(key);
        else if (entry.isFile() && key.startsWith(prefix)) found.push(key);
      }
    };
    await walk('');
    for (const key of found.sort()) {
      const info = await this.head(key);
      if (info) yield info;
    }
  }

  private signedUrl(request: SignedRequest, query: Record<string, string> = {}): string {
    const url = new URL(
      `${this.publicUrl}/blobs/${request.key.split('/').map(encodeURIComponent).join('/')}`,
    );
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    url.searchParams.set('expires', String(request.expires));
    url.searchParams.set('signature', this.signer.sign(request));
    return url.toString();
  }

  private expiry(options?: SignOptions): number {
    return Math.floor(Date.now() / 1000) + (options?.expiresInSeconds ?? 900);
  }

  async signedGetUrl(key: string, options?: SignOptions): Promise<string> {
    assertValidKey(key);
    const extra = options?.downloadName;
    return this.signedUrl(
      { method: 'GET', key, expires: this.expiry(options), ...(extra ? { extra } : {}) },
      extra ? { name: extra } : {},
    );
  }

  async signedPutUrl(key: string, options?: SignOptions): Promise<string> {
    assertValidKey(key);
    return this.signedUrl({ method: 'PUT', key, expires: this.expiry(options) });
  }

  async signedPartUrl(
    key: string,
    uploadId: string,
    partNumber: number,
    options?: SignOptions,
  ): Promise<string> {
    assertValidKey(key);
    const extra = `${uploadId}:${partNumber}`;
    return this.signedUrl(
      { method: 'PUT', key, expires: this.expiry(options), extra },
      { uploadId, partNumber: String(partNumber) },
    );
  }

  /** For the api's `/blobs/…` route: whether a signed URL's query is valid now. */
  verifySignature(request: SignedRequest, signature: string, now?: number): Verdict {
    return this.signer.verify(request, signature, now);
  }

  private uploadFolder(uploadId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(uploadId)) throw new BlobNotFoundError(`upload ${uploadId}`);
    return path.join(this.root, INTERNAL, uploadId);
  }

  async beginMultipart(key: string): Promise<string> {
    assertValidKey(key);
    const uploadId = randomUUID();
    await mkdir(this.uploadFolder(uploadId), { recursive: true });
    await this.writeAtomically(path.join(this.uploadFolder(uploadId), 'key'), Buffer.from(key));
    return uploadId;
  }

  private async assertUpload(key: string, uploadId: string): Promise<string> {
    const folder = this.uploadFolder(uploadId);
    const handle = await open(path.join(folder, 'key'), 'r').catch(() => undefined);
    if (!handle) throw new BlobNotFoundError(`upload ${uploadId}`);
    try {
      const owner = (await handle.readFile()).toString();
      if (owner !== key) throw new BlobNotFoundError(`upload ${uploadId} for ${key}`);
    } finally {
      await handle.close();
    }
    return folder;
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Uint8Array,
  ): Promise<UploadedPart> {
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
      throw new RangeError(`part number must be 1–10000, got ${partNumber}`);
    }
    const folder = await this.assertUpload(key, uploadId);
    const size = await this.writeAtomically(
      path.join(folder, `part-${String(partNumber).padStart(5, '0')}`),
      body,
    );
    return { partNumber, etag: `"${partNumber}-${size}"` };
  }

  async completeMultipart(key: string, uploadId: string, parts: UploadedPart[]): Promise<{ size: number }> {
    const folder = await this.assertUpload(key, uploadId);
    const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    const files = ordered.map((p) => path.join(folder, `part-${String(p.partNumber).padStart(5, '0')}`));
    for (const file of files)
      if (!(await stat(file).catch(() => undefined)))
        throw new BlobNotFoundError(`part ${path.basename(file)} of upload ${uploadId}`);
    const size = await this.writeAtomically(this.pathOf(key), Readable.from(concatenate(files)));
    await rm(folder, { recursive: true, force: true });
    return { size };
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    const folder = await this.assertUpload(key, uploadId).catch(() => undefined);
    if (folder) await rm(folder, { recursive: true, force: true });
  }
}

async function* concatenate(files: string[]): AsyncIterable<Buffer> {
  for (const file of files) {
    for await (const chunk of createReadStream(file)) yield chunk as Buffer;
  }
}
