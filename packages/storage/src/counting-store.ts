/**
 * A store that counts the bytes read from and written to another (for metrics: "each camera
 * byte read once" is measured on what really crossed the wire, whichever job read it).
 */
import { Transform } from 'node:stream';
import type { BlobStore } from './blob-store.ts';

export interface ByteCounters {
  read(bytes: number): void;
  written(bytes: number): void;
}

export function countingStore(store: BlobStore, count: ByteCounters): BlobStore {
  const counted: BlobStore = Object.create(store) as BlobStore;
  return Object.assign(counted, {
    async get(...args: Parameters<BlobStore['get']>) {
      const read = await store.get(...args);
      // Counted as the reader takes it (a 'data' listener would start the flow before it reads).
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          count.read(chunk.length);
          done(null, chunk);
        },
      });
      read.stream.on('error', (error) => meter.destroy(error));
      return { ...read, stream: read.stream.pipe(meter) };
    },
    async put(...args: Parameters<BlobStore['put']>) {
      const result = await store.put(...args);
      count.written(result.size);
      return result;
    },
    async completeMultipart(...args: Parameters<BlobStore['completeMultipart']>) {
      const result = await store.completeMultipart(...args);
      count.written(result.size);
      return result;
    },
  } satisfies Partial<BlobStore>);
}
