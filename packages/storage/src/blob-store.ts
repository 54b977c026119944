/**
 * The object store contract: originals, proxies and images live under keys such as
 * `productions/<id>/rolls/<id>/clips/<id>/original/A001C003.mov`. Two drivers implement it —
 * a local folder (the embedded default) and S3 — and one contract test suite runs against both.
 */
import type { Readable } from 'node:stream';

export interface BlobInfo {
  key: string;
  size: number;
  lastModified: Date;
  contentType?: string;
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive; default: the end of the object. */
  end?: number;
}

export interface BlobRead {
  stream: Readable;
  /** Bytes in this read. */
  size: number;
  /** Bytes in the whole object. */
  totalSize: number;
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
}

export interface SignOptions {
  /** Seconds until the URL stops working. Default: 900 (15 minutes). */
  expiresInSeconds?: number;
  /** GET: offer the download under this file name (Content-Disposition). */
  downloadName?: string;
  /** PUT: the Content-Type the uploader must send. */
  contentType?: string;
}

export interface BlobStore {
  readonly driver: 'local' | 's3';
  /** Writes the whole object; readers never see a partial one. */
  put(
    key: string,
    body: Readable | Uint8Array,
    options?: { contentType?: string },
  ): Promise<{ size: number }>;
  /** Reads the object, or a byte range of it; throws BlobNotFoundError when absent. */
  get(key: string, range?: ByteRange): Promise<BlobRead>;
  head(key: string): Promise<BlobInfo | undefined>;
  /** Idempotent: deleting an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<BlobInfo>;
  signedGetUrl(key: string, options?: SignOptions): Promise<string>;
  signedPutUrl(key: string, options?: SignOptions): Promise<string>;
  beginMultipart(key: string, options?: { contentType?: string }): Promise<string>;
  uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Uint8Array,
  ): Promise<UploadedPart>;
  /** URL a browser or a remote CLI PUTs one part to. */
  signedPartUrl(key: string, uploadId: string, partNumber: number, options?: SignOptions): Promise<string>;
  completeMultipart(key: string, uploadId: string, parts: UploadedPart[]): Promise<{ size: number }>;
  abortMultipart(key: string, uploadId: string): Promise<void>;
  /**
   * Copies an object of `source` to `key` without the bytes passing through this process, where
   * the driver can (S3: same service, at most 5 GiB); undefined when it cannot (stream instead).
   */
  copyFrom?(source: BlobStore, sourceKey: string, key: string): Promise<{ size: number } | undefined>;
  /** Local driver only: the object's path on disk, so tools can read it in place. */
  localPath?(key: string): string;
}

export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
  readonly key: string;
  constructor(key: string) {
    super(`no object at "${key}"`);
    this.key = key;
  }
}

export class InvalidKeyError extends Error {
  override name = 'InvalidKeyError';
}

export class InvalidRangeError extends Error {
  override name = 'InvalidRangeError';
}

/**
 * Keys are relative, `/`-separated, without `.`/`..` segments, backslashes, control characters
 * or empty segments: a hostile file name can never address something outside the store.
 */
export function assertValidKey(key: string): void {
  const problem =
    key.length === 0
      ? 'is empty'
      : key.length > 1024
        ? 'is longer than 1024 characters'
        : key.startsWith('/')
          ? 'starts with /'
          : key.includes('\\')
            ? 'contains a backslash'
            : [...key].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)
              ? 'contains a control character'
              : key.split('/').some((s) => s === '' || s === '.' || s === '..')
                ? 'has an empty, "." or ".." segment'
                : undefined;
  if (problem) throw new InvalidKeyError(`invalid object key ${JSON.stringify(key)}: it ${problem}`);
}

/** Resolves a requested range against the object's size; throws for ranges it cannot satisfy. */
export function resolveRange(
  range: ByteRange | undefined,
  totalSize: number,
): { start: number; end: number } {
  if (!range) return { start: 0, end: totalSize - 1 };
  const end = Math.min(range.end ?? totalSize - 1, totalSize - 1);
  if (!Number.isInteger(range.start) || range.start < 0 || range.start >= totalSize || end < range.start) {
    throw new InvalidRangeError(
      `range ${range.start}-${range.end ?? ''} is outside an object of ${totalSize} bytes`,
    );
  }
  return { start: range.start, end };
}
