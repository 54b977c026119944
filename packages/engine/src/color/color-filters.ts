/**
 * The colour part of a render's filter graph, as pure data: camera encoding → ACEScct (baked
 * LUT) → optional ASC CDL look → ACES 1.0 SDR Video Rec.709 (baked LUT), on 16-bit planar RGB.
 *
 * The look is applied in ACEScct, the working space ACES defines for grading, per the ASC CDL
 * v1.2 formulas: out = clamp(in × slope + offset)^power per channel, then saturation around Rec.709
 * luma (0.2126, 0.7152, 0.0722), clamped to 0..1 — `lutrgb` (exact per 16-bit code) and
 * `colorchannelmixer`. On a Rec.709 source there is no ACES round trip: the look is applied to the
 * video signal itself.
 */
import type { ColorCorrection } from '../sidecar/cdl.ts';
import type { AcesInputTransform } from '../probe/color-ids.ts';
import { COLORSPACES, OUTPUT_LUT } from './colorspaces.ts';
import { filter } from './filter-escape.ts';

export interface ColorChain {
  input: AcesInputTransform;
  look?: Pick<ColorCorrection, 'slope' | 'offset' | 'power' | 'saturation'>;
}

/** Pure: the LUT names a chain needs (resolved to .cube paths by the caller). */
export function lutsFor(chain: ColorChain): string[] {
  const lut = COLORSPACES.find((c) => c.id === chain.input)?.lut;
  return lut ? [lut, OUTPUT_LUT] : [];
}

const LUMA = [0.2126, 0.7152, 0.0722] as const;
const number = (n: number) => Number(n.toPrecision(10)).toString();

/** Pure: the ASC CDL as ffmpeg filters on 16-bit RGB. */
export function cdlFilters(look: NonNullable<ColorChain['look']>): string[] {
  const sop = (c: 0 | 1 | 2) =>
    `clip(pow(clip(val/maxval*${number(look.slope[c])}+${number(look.offset[c])},0,1),${number(look.power[c])}),0,1)*maxval`;
  const s = look.saturation;
  const row = (c: number) => LUMA.map((weight, i) => number(weight * (1 - s) + (i === c ? s : 0)));
  const [r, g, b] = [row(0), row(1), row(2)];
  return [
    filter('lutrgb', { r: sop(0), g: sop(1), b: sop(2) }),
    filter('colorchannelmixer', {
      rr: r[0],
      rg: r[1],
      rb: r[2],
      gr: g[0],
      gg: g[1],
      gb: g[2],
      br: b[0],
      bg: b[1],
      bb: b[2],
    }),
  ];
}

/**
 * Pure: the filters from the source's RGB (16-bit, full range) to display-referred Rec.709 RGB.
 * `cubes` maps LUT names from `lutsFor` to .cube paths. Empty for Rec.709 without a look.
 */
export function colorFilters(chain: ColorChain, cubes: Record<string, string>): string[] {
  const lut3d = (name: string) => {
    const file = cubes[name];
    if (!file) throw new Error(`no .cube file given for LUT ${name}`);
    return filter('lut3d', { file, interp: 'tetrahedral' });
  };
  const [toCct, toDisplay] = lutsFor(chain);
  const look = chain.look ? cdlFilters(chain.look) : [];
  if (!toCct || !toDisplay) return look;
  return [lut3d(toCct), ...look, lut3d(toDisplay)];
}
