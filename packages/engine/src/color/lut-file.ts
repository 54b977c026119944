/**
 * The baked LUTs are committed packed (see color/bake_luts.py: 16-bit codes as per-channel
 * differences, gzip; ~0.3 MB instead of 7 MB of .cube text each) and turned back into .cube
 * files for ffmpeg's lut3d on first use, in a cache folder keyed by the packed bytes' hash.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** Where the packed LUTs live: packages/engine/color/luts (same depth from src/ and dist/). */
export const LUT_FOLDER = fileURLToPath(new URL('../../color/luts/', import.meta.url));

const MAGIC = 'RLUT';

/** Pure: a packed LUT → its size and RGB entries (red fastest), 0..1. */
export function unpackLut(packed: Uint8Array): { size: number; values: Float64Array } {
  const body = gunzipSync(packed);
  if (body.subarray(0, 4).toString('latin1') !== MAGIC || body[4] !== 1) {
    throw new Error('not a packed Rushes LUT (version 1)');
  }
  const size = body[5]!;
  const count = size ** 3;
  if (body.length !== 6 + count * 6) throw new Error(`packed LUT of size ${size} has ${body.length} bytes`);
  const values = new Float64Array(count * 3);
  for (let channel = 0; channel < 3; channel++) {
    const low = 6 + channel * count * 2;
    const high = low + count;
    let code = 0;
    for (let i = 0; i < count; i++) {
      code = (code + (((body[low + i]! | (body[high + i]! << 8)) << 16) >> 16)) & 0xffff;
      values[i * 3 + channel] = code / 65535;
    }
  }
  return { size, values };
}

/** Pure: a 3D .cube file (no shaper), six decimals, red varying fastest. */
export function cubeText(title: string, size: number, values: Float64Array): string {
  const lines = [`TITLE "${title}"`, `LUT_3D_SIZE ${size}`, 'DOMAIN_MIN 0 0 0', 'DOMAIN_MAX 1 1 1'];
  for (let i = 0; i < values.length; i += 3) {
    lines.push(`${values[i]!.toFixed(6)} ${values[i + 1]!.toFixed(6)} ${values[i + 2]!.toFixed(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Default cache: $XDG_CACHE_HOME/rushes/luts, else the system temp folder. */
export function defaultLutCache(): string {
  const base = process.env['XDG_CACHE_HOME'] ?? path.join(os.tmpdir(), `rushes-${os.userInfo().uid}`);
  return path.join(base, 'rushes', 'luts');
}

const resolved = new Map<string, Promise<string>>();
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/**
 * The .cube path for the packed LUT `name`, written (atomically) when not cached yet. Resolved
 * once per process and folder: later renders only check the file is still there (a temp-folder
 * cleaner may have removed it) instead of reading and hashing the packed LUT again.
 */
export async function cubeFile(name: string, cacheFolder = defaultLutCache()): Promise<string> {
  const key = `${cacheFolder}\0${name}`;
  const known = resolved.get(key);
  if (known && (await exists(await known))) return known;
  const made = materialize(name, cacheFolder);
  resolved.set(key, made);
  made.catch(() => resolved.delete(key));
  return made;
}

async function materialize(name: string, cacheFolder: string): Promise<string> {
  const packed = await readFile(path.join(LUT_FOLDER, `${name}.lut.gz`));
  const digest = createHash('sha256').update(packed).digest('hex').slice(0, 16);
  const target = path.join(cacheFolder, `${name}-${digest}.cube`);
  if (await exists(target)) return target;
  await mkdir(cacheFolder, { recursive: true });
  const { size, values } = unpackLut(packed);
  const partial = `${target}.${process.pid}.partial`;
  await writeFile(partial, cubeText(name, size, values));
  await rename(partial, target);
  return target;
}
