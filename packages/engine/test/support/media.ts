/**
 * Small media made by the tests with the real ffmpeg: test patterns, tones, timecode and
 * metadata tags. Nothing is downloaded.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface MediaFolder {
  dir: string;
  /** Runs ffmpeg with `args`, writing `name` in the folder; returns its path. */
  make(name: string, args: string[]): Promise<string>;
  /** A copy of `file` cut to `fraction` of its size. */
  truncated(file: string, name: string, fraction: number): Promise<string>;
  /** A copy of `file` with `fraction` of it from `from` overwritten by noise. */
  damaged(file: string, name: string, from: number, fraction: number): Promise<string>;
  text(name: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

export async function mediaFolder(): Promise<MediaFolder> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rushes-media-'));
  const at = (name: string) => path.join(dir, name);
  return {
    dir,
    async make(name, args) {
      await exec('ffmpeg', ['-v', 'error', '-y', ...args, at(name)]);
      return at(name);
    },
    async truncated(file, name, fraction) {
      const { size } = await stat(file);
      const data = Buffer.alloc(Math.floor(size * fraction));
      const handle = await open(file, 'r');
      await handle.read(data, 0, data.length, 0);
      await handle.close();
      await writeFile(at(name), data);
      return at(name);
    },
    async damaged(file, name, from, fraction) {
      const { size } = await stat(file);
      const data = Buffer.alloc(size);
      const handle = await open(file, 'r');
      await handle.read(data, 0, size, 0);
      await handle.close();
      let seed = 12345;
      for (let i = Math.floor(size * from); i < Math.floor(size * (from + fraction)); i += 1) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        data[i] = seed >>> 24;
      }
      await writeFile(at(name), data);
      return at(name);
    },
    async text(name, content) {
      await writeFile(at(name), content);
      return at(name);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** ffmpeg inputs: a test pattern and a tone. */
export const pattern = (size: string, rate: string, seconds: number) => [
  '-f',
  'lavfi',
  '-i',
  `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`,
];
export const tone = (seconds: number, sampleRate = 48000) => [
  '-f',
  'lavfi',
  '-i',
  `sine=frequency=440:sample_rate=${sampleRate}:duration=${seconds}`,
];
