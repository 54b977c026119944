/**
 * OpenEXR header attributes as exiftool prints them: the display window is the picture (the data
 * window may be smaller or larger), chromaticities name the primaries, multiView lists the views.
 */
import { PRIORITY, type Fact } from './facts.ts';
import type { ExiftoolTags } from './exiftool-facts.ts';

/** Primaries (rx ry gx gy bx by) of the colour spaces productions meet, to 3 decimals. */
const PRIMARIES: [string, number[]][] = [
  ['Rec.709', [0.64, 0.33, 0.3, 0.6, 0.15, 0.06]],
  ['ACES AP0', [0.7347, 0.2653, 0.0, 1.0, 0.0001, -0.077]],
  ['ACES AP1', [0.713, 0.293, 0.165, 0.83, 0.128, 0.044]],
  ['Rec.2020', [0.708, 0.292, 0.17, 0.797, 0.131, 0.046]],
  ['P3', [0.68, 0.32, 0.265, 0.69, 0.15, 0.06]],
  ['ARRI Wide Gamut 3', [0.684, 0.313, 0.221, 0.848, 0.0861, -0.102]],
];

/** Pure: the name of the primaries in an EXR chromaticities attribute, or the numbers. */
export function namePrimaries(chromaticities: string): string | undefined {
  const values = chromaticities.trim().split(/\s+/).map(Number);
  if (values.length < 6 || values.some((v) => !Number.isFinite(v))) return undefined;
  const found = PRIMARIES.find(([, p]) => p.every((v, i) => Math.abs(v - values[i]!) < 0.002));
  return (
    found?.[0] ??
    `custom primaries ${values
      .slice(0, 6)
      .map((v) => v.toFixed(4))
      .join(' ')}`
  );
}

export function exrFacts(tags: ExiftoolTags): Fact[] {
  const facts: Fact[] = [];
  const add = (field: Fact['field'], value: unknown, detail: string) =>
    facts.push({ field, value, source: 'exiftool', detail, priority: PRIORITY.exiftool + 1 });
  for (const [key, raw] of Object.entries(tags)) {
    const [group, name] = key.split(':', 2) as [string, string | undefined];
    if (group !== 'OpenEXR' || !name) continue;
    const value = String(raw).trim();
    if (name === 'DisplayWindow') {
      const [x0, y0, x1, y1] = value.split(/\s+/).map(Number);
      if ([x0, y0, x1, y1].every(Number.isFinite)) {
        add('picture.width', x1! - x0! + 1, key);
        add('picture.height', y1! - y0! + 1, key);
      }
    } else if (name === 'Chromaticities') {
      const primaries = namePrimaries(value);
      if (primaries) add('color.gamut', primaries, key);
    } else if (name === 'MultiView') {
      add('picture.views', value.split(/\s*,\s*/).filter(Boolean), key);
    } else if (name === 'PixelAspectRatio') {
      add('picture.pixelAspect', Number(value), key);
    } else if (name === 'Channels') {
      add(
        'picture.channels',
        value
          .split(/\s*,\s*/)
          .map((c) => c.split(/\s+/)[0])
          .join(' '),
        key,
      );
    } else if (name === 'Compression') {
      add('picture.codec', `OpenEXR ${value}`, key);
    }
  }
  return facts;
}
