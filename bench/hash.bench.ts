/**
 * Hashing throughput on one 1 GiB file (warm in the page cache), against baselines run here:
 * a bare Node read, `xxhsum -H1` (xxh64), `md5sum`. Goals (issue #3): xxh64 + xxh128 + md5 in one
 * read ≤ 1.1× md5sum; xxh64 alone ≤ 1.2× a bare Node read.
 * BENCH_HASH_MIB sets the file size.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { hashFile } from '@rushes/engine';
import type { Benchmark, Row } from './harness.ts';

const run = promisify(execFile);

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

/** Best of three: the least disturbed run. */
async function best(work: () => Promise<unknown>): Promise<number> {
  const times = [await seconds(work), await seconds(work), await seconds(work)];
  return Math.min(...times);
}

async function bareRead(file: string): Promise<void> {
  const handle = await open(file, 'r');
  const buffer = new Uint8Array(4 * 1024 * 1024);
  try {
    while ((await handle.read(buffer, 0, buffer.length, null)).bytesRead > 0);
  } finally {
    await handle.close();
  }
}

const benchmark: Benchmark = async () => {
  const mib = Number(process.env['BENCH_HASH_MIB'] ?? 1024);
  const folder = await mkdtemp(path.join(tmpdir(), 'rushes-bench-hash-'));
  const file = path.join(folder, 'payload.bin');
  try {
    const block = Buffer.alloc(64 * 1024 * 1024);
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
    const handle = await open(file, 'w');
    for (let written = 0; written < mib; written += 64)
      await handle.write(block, 0, Math.min(64, mib - written) * 1024 * 1024);
    await handle.close();
    await bareRead(file); // warm the page cache

    const tool = (name: string, args: string[]) => async () =>
      run(name, [...args, file], { maxBuffer: 1024 });
    const node = await best(() => bareRead(file));
    const xxhsum = await best(tool('xxhsum', ['-H1'])).catch(() => NaN);
    const md5sum = await best(tool('md5sum', []));
    const xxh64 = await best(() => hashFile(file, ['xxh64']));
    const three = await best(() => hashFile(file, ['xxh64', 'xxh128', 'md5']));
    const all = await best(() => hashFile(file, ['xxh64', 'xxh128', 'xxh3', 'md5', 'sha1', 'c4']));

    const rate = (s: number) => mib / s;
    const name = `hash ${mib} MiB`;
    const rows: Row[] = [
      { benchmark: name, subject: 'baseline: bare Node read', value: rate(node), unit: 'MiB/s' },
      { benchmark: name, subject: 'baseline: xxhsum -H1', value: rate(xxhsum), unit: 'MiB/s' },
      { benchmark: name, subject: 'baseline: md5sum', value: rate(md5sum), unit: 'MiB/s' },
      // Ratios here are times: ≤ 1.2 and ≤ 1.1 are the goals.
      {
        benchmark: name,
        subject: 'rushes xxh64 (time ÷ bare read)',
        value: rate(xxh64),
        unit: 'MiB/s',
        ratio: xxh64 / node,
      },
      {
        benchmark: name,
        subject: 'rushes xxh64 (time ÷ xxhsum)',
        value: rate(xxh64),
        unit: 'MiB/s',
        ratio: xxh64 / xxhsum,
      },
      {
        benchmark: name,
        subject: 'rushes xxh64+xxh128+md5 (time ÷ md5sum)',
        value: rate(three),
        unit: 'MiB/s',
        ratio: three / md5sum,
      },
      {
        benchmark: name,
        subject: 'rushes all six (time ÷ md5sum)',
        value: rate(all),
        unit: 'MiB/s',
        ratio: all / md5sum,
      },
    ];
    return rows;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
};

export default benchmark;
