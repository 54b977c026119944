export * from './blob-store.ts';
export { LocalBlobStore, type LocalStoreOptions } from './local-store.ts';
export { S3BlobStore, readAll, type S3StoreOptions } from './s3-store.ts';
export {
  linkSigner,
  SIGNING_PURPOSES,
  type LinkSigner,
  type SignedRequest,
  type SigningPurpose,
  type Verdict,
} from './signing.ts';
export { serveLocalBlob, parseRangeHeader } from './local-http.ts';
export {
  storageSettings,
  storageProblems,
  createBlobStore,
  platformPlaces,
  type StorageSettings,
} from './settings.ts';
export * from './import-roots.ts';
export { countingStore, type ByteCounters } from './counting-store.ts';
