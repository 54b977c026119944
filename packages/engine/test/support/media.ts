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

/**
 * Rewrites a DPX file the way DIT tools write them: with film and television headers (2048-byte
 * header) carrying a BCD timecode and a frame rate. ffmpeg writes a 1664-byte header without them.
 */
export async function addDpxTelevisionHeader(
  file: string,
  timecode: string,
  frameRate: number,
): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const data = await readFile(file);
  const be = data.toString('latin1', 0, 4) === 'SDPX';
  const u32 = (o: number) => (be ? data.readUInt32BE(o) : data.readUInt32LE(o));
  const imageOffset = u32(4);
  const header = Buffer.alloc(2048, 0xff);
  data.copy(header, 0, 0, Math.min(imageOffset, 1664));
  const w32 = (o: number, v: number) => (be ? header.writeUInt32BE(v, o) : header.writeUInt32LE(v, o));
  const wf = (o: number, v: number) => (be ? header.writeFloatBE(v, o) : header.writeFloatLE(v, o));
  w32(4, 2048); // image data offset
  w32(808, 2048); // image element 0 data offset
  w32(16, 2048 + data.length - imageOffset); // file size
  w32(1920, Number.parseInt(timecode.replaceAll(':', ''), 16)); // BCD: 01:00:00:00 → 0x01000000
  wf(1724, frameRate);
  wf(1940, frameRate);
  await writeFile(file, Buffer.concat([header, data.subarray(imageOffset)]));
}
