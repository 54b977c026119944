import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderSource } from '../src/sources.ts';
import { changedFiles, waitUntilStable, type Snapshot } from '../src/stability.ts';

describe('stability gate', () => {
  it('sees files that grew, were touched, appeared or disappeared', () => {
    const before: Snapshot = new Map([
      ['a.mov', { size: 10, mtimeMs: 1 }],
      ['b.mov', { size: 10, mtimeMs: 1 }],
      ['c.mov', { size: 10, mtimeMs: 1 }],
      ['gone.mov', { size: 1, mtimeMs: 1 }],
    ]);
    const after: Snapshot = new Map([
      ['a.mov', { size: 10, mtimeMs: 1 }],
      ['b.mov', { size: 20, mtimeMs: 2 }],
      ['c.mov', { size: 10, mtimeMs: 5 }],
      ['new.mov', { size: 1, mtimeMs: 1 }],
    ]);
    expect(changedFiles(before, after)).toEqual(['b.mov', 'c.mov', 'gone.mov', 'new.mov']);
    expect(changedFiles(after, after)).toEqual([]);
  });

  it('waits while a file is still being written, then takes the folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rushes-settle-'));
    try {
      await writeFile(path.join(dir, 'A001C001.mov'), 'x');
      const writer = (async () => {
        for (let i = 0; i < 6; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 150));
          await appendFile(path.join(dir, 'A001C001.mov'), 'more');
        }
      })();
      const started = Date.now();
      const files = await waitUntilStable(folderSource(dir).list, 300, 10_000);
      await writer;
      expect(files.map((f) => [f.path, f.size])).toEqual([['A001C001.mov', 1 + 6 * 4]]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives up after its timeout, naming the file still changing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rushes-settle-'));
    const file = path.join(dir, 'busy.mov');
    await writeFile(file, 'x');
    const timer = setInterval(() => void appendFile(file, 'y'), 50);
    try {
      await expect(waitUntilStable(folderSource(dir).list, 200, 500)).rejects.toThrow(
        /still changing after 1 s: busy\.mov/,
      );
    } finally {
      clearInterval(timer);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
