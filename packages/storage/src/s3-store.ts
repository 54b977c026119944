/**
 * The S3 driver: any S3-compatible store (AWS, MinIO, Ceph, R2, Wasabi…) through the AWS SDK v3.
 * Streams of unknown length go through lib-storage's managed upload; browsers and remote CLIs
 * upload parts to presigned URLs.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import {
  assertValidKey,
  BlobNotFoundError,
  InvalidRangeError,
  type BlobInfo,
  type BlobRead,
  type BlobStore,
  type ByteRange,
  type SignOptions,
  type UploadedPart,
} from './blob-store.ts';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** For S3-compatible stores: `http://127.0.0.1:9000`. Default: AWS. */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which most non-AWS stores need. */
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Prepended to every key, e.g. `rushes/` to share a bucket. */
  prefix?: string;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

async function toBuffer(body: Readable | Uint8Array): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The largest object one CopyObject request copies (S3's limit). */
const COPY_OBJECT_LIMIT = 5 * 1024 ** 3;

export class S3BlobStore implements BlobStore {
  readonly driver = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  /** The service and identity: a store with the same one can copy from this one server-side. */
  private readonly service: string;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.service = `${options.endpoint ?? 'aws'}|${options.region}|${options.accessKeyId ?? ''}`;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.accessKeyId && options.secretAccessKey
        ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
        : {}),
    });
  }

  private keyOf(key: string): string {
    assertValidKey(key);
    return this.prefix + key;
  }

  async put(
    key: string,
    body: Readable | Uint8Array,
    options?: { contentType?: string },
  ): Promise<{ size: number }> {
    const Key = this.keyOf(key);
    if (body instanceof Uint8Array) {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key, Body: body, ContentType: options?.contentType }),
      );
      return { size: body.length };
    }
    await new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: body, ContentType: options?.contentType },
    }).done();
    return { size: (await this.head(key))?.size ?? 0 };
  }

  /**
   * Copies `sourceKey` of `source` to `key` inside the S3 service (CopyObject), without the
   * bytes passing through this process: when `source` is a bucket of the same service used with
   * the same credentials and the object is at most 5 GiB. Undefined otherwise: the caller
   * streams it (S3's multipart copy is not used: s3rver, which the tests run, lacks it).
   */
  async copyFrom(source: BlobStore, sourceKey: string, key: string): Promise<{ size: number } | undefined> {
    if (!(source instanceof S3BlobStore) || source.service !== this.service) return undefined;
    const info = await source.head(sourceKey);
    if (!info) throw new BlobNotFoundError(sourceKey);
    if (info.size > COPY_OBJECT_LIMIT) return undefined;
    const from = `${source.bucket}/${source.keyOf(sourceKey)}`.split('/').map(encodeURIComponent).join('/');
    await this.client.send(
      new CopyObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key), CopySource: from }),
    );
    return { size: info.size };
  }

  async get(key: string, range?: ByteRange): Promise<BlobRead> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.keyOf(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end ?? ''}` } : {}),
        }),
      );
      const size = response.ContentLength ?? 0;
      const total = /\/(\d+)$/.exec(response.ContentRange ?? '')?.[1];
      return { stream: response.Body as Readable, size, totalSize: total ? Number(total) : size };
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) throw new BlobNotFoundError(key);
      if (status === 416)
        throw new InvalidRangeError(`range ${range?.start}-${range?.end ?? ''} is outside "${key}"`);
      throw error;
    }
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
      return {
        key,
        size: r.ContentLength ?? 0,
        lastModified: r.LastModified ?? new Date(0),
        ...(r.ContentType ? { contentType: r.ContentType } : {}),
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          ContinuationToken: token,
        }),
      );
      for (const item of page.Contents ?? []) {
        if (!item.Key) continue;
        yield {
          key: item.Key.slice(this.prefix.length),
          size: item.Size ?? 0,
          lastModified: item.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async signedGetUrl(key: string, options?: SignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.keyOf(key),
      ...(options?.downloadName
        ? {
            ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(options.downloadName)}`,
          }
        : {}),
    });
    return getSignedUrl(this.client, command, { expiresIn: options?.expiresInSeconds ?? 900 });
  }

  async signedPutUrl(key: string, options?: SignOptions): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: this.keyOf(key),
      ContentType: options?.contentType,
    });
    return getSignedUrl(this.client, command, { expiresIn: options?.expiresInSeconds ?? 900 });
  }

  async signedPartUrl(
    key: string,
    uploadId: string,
    partNumber: number,
    options?: SignOptions,
  ): Promise<string> {
    const command = new UploadPartCommand({
      Bucket: this.bucket,
      Key: this.keyOf(key),
      UploadId: uploadId,
      PartNumber: partNumber,
    });
    return getSignedUrl(this.client, command, { expiresIn: options?.expiresInSeconds ?? 900 });
  }

  async beginMultipart(key: string, options?: { contentType?: string }): Promise<string> {
    const r = await this.client.send(
      new CreateMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.keyOf(key),
        ContentType: options?.contentType,
      }),
    );
    if (!r.UploadId) throw new Error(`the store returned no upload id for "${key}"`);
    return r.UploadId;
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Uint8Array,
  ): Promise<UploadedPart> {
    // A part's length must be known up front: parts are bounded (≤ 5 GiB, typically 8–64 MiB).
    const data = await toBuffer(body);
    const r = await this.client.send(
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: this.keyOf(key),
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: data,
      }),
    );
    return { partNumber, etag: r.ETag ?? '' };
  }

  async completeMultipart(key: string, uploadId: string, parts: UploadedPart[]): Promise<{ size: number }> {
    try {
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.keyOf(key),
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [...parts]
              .sort((a, b) => a.partNumber - b.partNumber)
              .map((p) => ({ ETag: p.etag, PartNumber: p.partNumber })),
          },
        }),
      );
    } catch (error) {
      if (statusOf(error) === 404) throw new BlobNotFoundError(`upload ${uploadId} for ${key}`);
      throw error;
    }
    return { size: (await this.head(key))?.size ?? 0 };
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.keyOf(key), UploadId: uploadId }),
      );
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  close(): void {
    this.client.destroy();
  }
}

/** Reads a whole stream (tests, small objects). */
export async function readAll(stream: Readable): Promise<Buffer> {
  return Buffer.from(await toBuffer(stream));
}
