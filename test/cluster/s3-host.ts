/**
 * The cluster test's S3 host: s3rver behind the byte-counting relay, the relay on `address:9000`
 * (reached by the other hosts over the bridge). GET /__rushes/bytes?contains=… answers the bytes
 * sent for GETs of keys containing that text. Prints "ready" when it listens.
 */
import http from 'node:http';
import { startS3Server } from '../support/s3.ts';

const address = process.argv[2] ?? '0.0.0.0';
const s3 = await startS3Server('rushes', { host: address, port: 9000 });
const report = http.createServer((req, res) => {
  const contains = new URL(req.url ?? '/', 'http://x').searchParams.get('contains') ?? '';
  res.end(String(s3.bytesRead((p) => p.includes(contains))));
});
await new Promise<void>((resolve) => report.listen(9100, address, resolve));
console.log('ready');
const stop = async () => {
  report.close();
  await s3.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
