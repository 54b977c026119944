/**
 * A real S3-compatible server process (s3rver) on a free loopback port, for tests; in front of
 * it a plain HTTP relay that counts the bytes of every GET response, so a test measures what
 * really crossed the wire (not what the code under test says it read).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3BlobStore } from '@rushes/storage';
import S3rver from 's3rver';

export interface S3Server {
  /** The relay's address (what clients use). */
  endpoint: string;
  bucket: string;
  /** A store on this server's bucket (close it with `close()`). */
  store(): S3BlobStore;
  /** The same, as a worker process's settings. */
  env: Record<string, string>;
  /** Every request the relay passed on: method, decoded path and query string. */
  requests(): { method: string; path: string; query: string }[];
  /** Bytes sent in answer to GET requests whose decoded path satisfies `which` (default: all). */
  bytesRead(which?: (path: string) => boolean): number;
  close(): Promise<void>;
}

interface Relay {
  port: number;
  reads: { path: string; bytes: number }[];
  requests: { method: string; path: string; query: string }[];
  close(): Promise<void>;
}

async function startRelay(targetPort: number, listen: { host: string; port: number }): Promise<Relay> {
  const reads: Relay['reads'] = [];
  const requests: Relay['requests'] = [];
  const server = http.createServer((req, res) => {
    const [rawPath = '', query = ''] = (req.url ?? '').split('?');
    requests.push({ method: req.method ?? '', path: decodeURIComponent(rawPath), query });
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const read = { path: decodeURIComponent((req.url ?? '').split('?')[0]!), bytes: 0 };
        if (req.method === 'GET') reads.push(read);
        answer.on('data', (chunk: Buffer) => (read.bytes += chunk.length));
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => res.destroy(error));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(listen.port, listen.host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    reads,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `relay`: where clients reach it (default: a free port on 127.0.0.1). */
export async function startS3Server(
  bucket = 'rushes',
  relay: { host: string; port: number } = { host: '127.0.0.1', port: 0 },
): Promise<S3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 'rushes-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = (await server.run()) as AddressInfo;
  const front = await startRelay(port, relay);
  const endpoint = `http://${relay.host}:${front.port}`;
  return {
    endpoint,
    bucket,
    store: () =>
      new S3BlobStore({
        bucket,
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
      }),
    env: {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    requests: () => [...front.requests],
    bytesRead: (which = () => true) =>
      front.reads.filter((r) => which(r.path)).reduce((sum, r) => sum + r.bytes, 0),
    async close() {
      await front.close();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
