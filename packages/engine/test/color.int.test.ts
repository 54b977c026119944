/**
 * The colour pipeline against OpenColorIO's own processor: known patches (18% grey, a grey ramp
 * of ±5 stops, the 24 ColorChecker patches) in each camera's log encoding go through the exact
 * filters a render uses (ffmpeg lut3d + CDL filters on 16-bit RGB) and are compared with what
 * OCIO 2.1 computes from the same config (color/reference.py), in 10-bit code values.
 *
 * Tolerances, measured and stated: neutrals within 1 code value (Canon Log 3: 2.5, its linear toe
 * joins the log curve inside one LUT cell); ColorChecker patches within 1 code value at the
 * median. Single saturated patches lie where the ACES 1.0 RRT/ODT clamps AP1 and display values
 * internally — there no LUT of any size agrees to one code value (measured: 65³ and 33³ alike
 * reach ~25), so their bound is the measured 30.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACES_INPUT_TRANSFORMS } from '../src/probe/color-ids.ts';
import { resolveColorFilters } from '../src/color/resolve.ts';
import type { ColorChain } from '../src/color/color-filters.ts';

const exec = promisify(execFile);
const REFERENCE = fileURLToPath(new URL('../color/reference.py', import.meta.url));

interface Reference {
  names: string[];
  input: number[][];
  output: number[][];
}

async function reference(camera: string, look?: ColorChain['look']): Promise<Reference> {
  const lookArgs = look
    ? [look.slope.join(','), look.offset.join(','), look.power.join(','), String(look.saturation)]
    : [];
  const { stdout } = await exec('/usr/bin/python3', [REFERENCE, camera, ...lookArgs], {
    maxBuffer: 1 << 24,
  });
  return JSON.parse(stdout) as Reference;
}

/** The patches as one row of 16-bit RGB pixels through ffmpeg with `filters`. */
async function throughFfmpeg(input: number[][], filters: string[]): Promise<number[][]> {
  const raw = Buffer.alloc(input.length * 6);
  input.forEach((rgb, i) => rgb.forEach((v, c) => raw.writeUInt16LE(Math.round(v * 65535), i * 6 + c * 2)));
  const graph = ['format=gbrp16le', ...filters, 'format=rgb48le'].join(',');
  const child = execFile(
    'ffmpeg',
    [
      '-v',
      'error',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb48le',
      '-s',
      `${input.length}x1`,
      '-i',
      'pipe:0',
      '-vf',
      graph,
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: 1 << 24 },
  );
  const output = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`ffmpeg exited ${code}`)),
    );
  });
  child.stdin!.end(raw);
  const out = await output;
  return input.map((_, i) => [0, 1, 2].map((c) => out.readUInt16LE(i * 6 + c * 2) / 65535));
}

/** Per patch, the largest channel difference in 10-bit code values, for unclipped references. */
function errors(ref: Reference, got: number[][]) {
  return ref.output.map((expected, i) => ({
    name: ref.names[i]!,
    clipped: expected.some((v) => v <= 0.5 / 1023 || v >= 1 - 0.5 / 1023),
    error: Math.max(...expected.map((v, c) => Math.abs(Math.min(Math.max(v, 0), 1) - got[i]![c]!) * 1023)),
  }));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cameras = ACES_INPUT_TRANSFORMS.filter((id) => id !== 'rec709');

describe('colour pipeline vs OpenColorIO', () => {
  it.each(cameras)('%s → ACES 1.0 SDR Video Rec.709', async (camera) => {
    const ref = await reference(camera);
    const got = await throughFfmpeg(ref.input, await resolveColorFilters({ input: camera }));
    const measured = errors(ref, got).filter((e) => !e.clipped);
    const neutrals = measured.filter((e) => /grey|neutral|white|black/.test(e.name));
    const chart = measured.filter((e) => !/^grey/.test(e.name));
    expect(measured.find((e) => e.name === '18% grey')!.error).toBeLessThanOrEqual(1);
    expect(Math.max(...neutrals.map((e) => e.error))).toBeLessThanOrEqual(
      camera === 'canon_clog3_cgamut' ? 2.5 : 1,
    );
    expect(median(chart.map((e) => e.error))).toBeLessThanOrEqual(1);
    expect(Math.max(...chart.map((e) => e.error))).toBeLessThanOrEqual(30);
    expect(neutrals.length).toBeGreaterThan(12);
  });

  it('applies an ASC CDL look in ACEScct as OCIO does', async () => {
    const look = {
      slope: [1.1, 1.0, 0.9] as [number, number, number],
      offset: [0.01, 0, -0.01] as [number, number, number],
      power: [1, 1, 1.1] as [number, number, number],
      saturation: 0.8,
    };
    const ref = await reference('arri_logc3_awg3', look);
    const got = await throughFfmpeg(ref.input, await resolveColorFilters({ input: 'arri_logc3_awg3', look }));
    const measured = errors(ref, got).filter((e) => !e.clipped);
    // The graded grey is no longer neutral, so it leaves the LUTs' exact diagonal: 1.5.
    expect(measured.find((e) => e.name === '18% grey')!.error).toBeLessThanOrEqual(1.5);
    expect(median(measured.map((e) => e.error))).toBeLessThanOrEqual(1);
    // Without the look the grey lands elsewhere: the look is really applied.
    const plain = await throughFfmpeg(ref.input, await resolveColorFilters({ input: 'arri_logc3_awg3' }));
    expect(Math.abs(plain[0]![0]! - got[0]![0]!) * 1023).toBeGreaterThan(5);
  });

  it('passes Rec.709 through untouched', async () => {
    expect(await resolveColorFilters({ input: 'rec709' })).toEqual([]);
  });
});
