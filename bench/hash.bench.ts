/**
 * Hashing throughput on one 1 GiB file (warm in the page cache), against what a user runs
 * instead, measured here in the same rounds: a bare Node read, `xxhsum -H1` (xxh64), `xxhsum -H2`
 * (xxh128), `md5sum`, and the three commands one after another — what a DIT types for the
 * checksums Rushes computes in one read. Every subject runs once per round, in turn, for
 * BENCH_HASH_ROUNDS rounds (default 3), so a busy moment of the machine hits all of them; rows
 * give the median with the spread. Goals (issues #3, #22): xxh64 ≤ 1.2× a bare read; xxh64 +
 * xxh128 + md5 in one read ≤ 1.1× md5sum alone; each missed goal is flagged MISSED.
 * BENCH_HASH_MIB sets the file size.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { hashFile } from '@rushes/engine';
import { median, spread, type Benchmark, type Row } from './harness.ts';

const run = promisify(execFile);

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
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

    const tool = (name: string, args: string[]) => () => run(name, [...args, file], { maxBuffer: 1024 });
    const subjects = {
      node: () => bareRead(file),
      xxhsum: tool('xxhsum', ['-H1']),
      xxh128sum: tool('xxhsum', ['-H2']),
      md5sum: tool('md5sum', []),
      xxh64: () => hashFile(file, ['xxh64']),
      three: () => hashFile(file, ['xxh64', 'xxh128', 'md5']),
      all: () => hashFile(file, ['xxh64', 'xxh128', 'xxh3', 'md5', 'sha1', 'c4']),
    };
    const times = Object.fromEntries(Object.keys(subjects).map((k) => [k, [] as number[]])) as Record<
      keyof typeof subjects | 'commands',
      number[]
    >;
    times.commands = [];
    const rounds = Number(process.env['BENCH_HASH_ROUNDS'] ?? 3);
    for (let round = 0; round < rounds; round += 1) {
      for (const [key, work] of Object.entries(subjects)) {
        times[key as keyof typeof subjects].push(await seconds(work));
      }
      // The user's way to the three checksums: three commands, three reads.
      times.commands.push(times.xxhsum.at(-1)! + times.xxh128sum.at(-1)! + times.md5sum.at(-1)!);
    }

    const name = `hash ${mib} MiB, ${rounds} rounds`;
    const rate = (key: keyof typeof times) => mib / median(times[key]);
    const rates = (key: keyof typeof times) =>
      spread(
        times[key].map((t) => mib / t),
        0,
      );
    const baseline = (key: keyof typeof times, subject: string): Row => ({
      benchmark: name,
      subject: `baseline: ${subject} (MiB/s ${rates(key)})`,
      value: rate(key),
      unit: 'MiB/s',
    });
    /** A row of ours; ratio = our median time ÷ the baseline's, `goal` the most it may be. */
    const ours = (
      key: keyof typeof times,
      subject: string,
      versus: keyof typeof times,
      goal?: number,
    ): Row => {
      const ratio = median(times[key]) / median(times[versus]);
      const missed =
        goal !== undefined && ratio > goal ? `; goal ≤ ${goal}: MISSED` : goal ? `; goal ≤ ${goal}` : '';
      return {
        benchmark: name,
        subject: `rushes ${subject} (MiB/s ${rates(key)}; time ÷ ${versus}${missed})`,
        value: rate(key),
        unit: 'MiB/s',
        ratio,
      };
    };
    const rows: Row[] = [
      baseline('node', 'bare Node read'),
      baseline('xxhsum', 'xxhsum -H1'),
      baseline('xxh128sum', 'xxhsum -H2'),
      baseline('md5sum', 'md5sum'),
      baseline('commands', 'xxhsum -H1; xxhsum -H2; md5sum'),
      ours('xxh64', 'xxh64', 'node', 1.2),
      ours('xxh64', 'xxh64', 'xxhsum'),
      ours('three', 'xxh64+xxh128+md5', 'md5sum', 1.1),
      ours('three', 'xxh64+xxh128+md5', 'commands'),
      ours('all', 'all six', 'commands'),
    ];
    return rows;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
};

export default benchmark;
