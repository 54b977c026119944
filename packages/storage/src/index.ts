export * from './blob-store.ts';
export { LocalBlobStore, type LocalStoreOptions } from './local-store.ts';
export { S3BlobStore, readAll, type S3StoreOptions } from './s3-store.ts';
export { sign, verify, type SignedRequest } from './signing.ts';
export { serveLocalBlob, parseRangeHeader } from './local-http.ts';
export {
  storageSettings,
  storageProblems,
  createBlobStore,
  platformPlaces,
  type StorageSettings,
} from './settings.ts';
export * from './import-roots.ts';
