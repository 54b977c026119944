/**
 * Storage settings, shared by every process that touches the store (api, worker, `rushes` CLI),
 * and the factory that turns them into a BlobStore.
 */
import { z } from 'zod';
import { LocalBlobStore } from './local-store.ts';
import { S3BlobStore } from './s3-store.ts';
import type { BlobStore } from './blob-store.ts';
import type { PlatformPlaces } from './import-roots.ts';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));

/** Every storage variable, with its default (listed in the README). */
export const storageSettings = {
  /** `local` (a folder; the embedded default) or `s3` (any S3-compatible store). */
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  /** local: the folder holding the objects. */
  STORAGE_DIR: z.string().default('.rushes/storage'),
  /** local: secret for signed download/upload URLs (≥ 32 characters). */
  STORAGE_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** local: the api's address as browsers reach it; signed URLs point at its /blobs/. */
  PUBLIC_API_URL: z.string().url('expected a URL').default('http://localhost:4000'),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  /** S3-compatible endpoint, e.g. http://minio:9000. Default: AWS. */
  S3_ENDPOINT: z.string().url('expected a URL').optional(),
  S3_FORCE_PATH_STYLE: flag.default(false),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Prefix for every key, to share a bucket. */
  S3_PREFIX: z.string().default(''),
  /**
   * The data folder of `npm start` (embedded database, local store); with the store itself and
   * the folder the platform runs from, never importable (see import-roots.ts).
   */
  RUSHES_DATA_DIR: z.string().optional(),
};

export type StorageSettings = z.infer<z.ZodObject<typeof storageSettings>>;

/** Problems a zod shape cannot see (settings that depend on each other). */
export function storageProblems(s: StorageSettings): string[] {
  if (s.STORAGE_DRIVER === 'local' && !s.STORAGE_SIGNING_SECRET) {
    return ['STORAGE_SIGNING_SECRET is required with STORAGE_DRIVER=local (npm start generates one)'];
  }
  if (s.STORAGE_DRIVER === 's3' && !s.S3_BUCKET) return ['S3_BUCKET is required with STORAGE_DRIVER=s3'];
  return [];
}

/** The platform's own places, which no import may read (see import-roots.ts). */
export function platformPlaces(s: StorageSettings, installDir = process.cwd()): PlatformPlaces {
  return {
    installDir,
    dataDir: s.RUSHES_DATA_DIR,
    ...(s.STORAGE_DRIVER === 'local' ? { storageDir: s.STORAGE_DIR } : {}),
    ...(s.STORAGE_DRIVER === 's3' && s.S3_BUCKET ? { s3: { bucket: s.S3_BUCKET, prefix: s.S3_PREFIX } } : {}),
  };
}

export function createBlobStore(s: StorageSettings): BlobStore {
  const problems = storageProblems(s);
  if (problems.length) throw new Error(problems.join('; '));
  if (s.STORAGE_DRIVER === 's3') {
    return new S3BlobStore({
      bucket: s.S3_BUCKET!,
      region: s.S3_REGION,
      forcePathStyle: s.S3_FORCE_PATH_STYLE,
      prefix: s.S3_PREFIX,
      ...(s.S3_ENDPOINT ? { endpoint: s.S3_ENDPOINT } : {}),
      ...(s.S3_ACCESS_KEY_ID ? { accessKeyId: s.S3_ACCESS_KEY_ID } : {}),
      ...(s.S3_SECRET_ACCESS_KEY ? { secretAccessKey: s.S3_SECRET_ACCESS_KEY } : {}),
    });
  }
  return new LocalBlobStore({
    root: s.STORAGE_DIR,
    secret: s.STORAGE_SIGNING_SECRET!,
    publicUrl: s.PUBLIC_API_URL,
  });
}
