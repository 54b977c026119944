/**
 * Numbered image sequences (DPX, EXR, TIFF, DNG…): `shot_0001001.dpx` … `shot_0001240.dpx` is
 * one clip whose frame range gives its duration. Pure: works on names only.
 */

export interface ImageSequence {
  /** Folder-relative name with the frame number as printf, e.g. `A001C001_%07d.dpx`. */
  pattern: string;
  prefix: string;
  suffix: string;
  padding: number;
  first: number;
  last: number;
  /** Frame numbers present, ascending. */
  frames: number[];
  /** Frame numbers absent between first and last. */
  missing: number[];
  files: string[];
}

const IMAGE = /\.(dpx|exr|tif|tiff|dng|cin|png|jpg|jpeg|tga|sgi|ari)$/i;
const NUMBERED = /^(.*?)(\d+)(\.[A-Za-z0-9]+)$/;

/** Groups image files into sequences (two frames or more); everything else stays single. */
export function findSequences(names: readonly string[]): { sequences: ImageSequence[]; singles: string[] } {
  const groups = new Map<
    string,
    { prefix: string; suffix: string; padding: number; items: { frame: number; name: string }[] }
  >();
  const singles: string[] = [];
  for (const name of names) {
    const m = IMAGE.test(name) ? NUMBERED.exec(name) : null;
    if (!m) {
      singles.push(name);
      continue;
    }
    const [, prefix, digits, suffix] = m as unknown as [string, string, string, string];
    // Unpadded numbers (frame 1000 after 999) belong with the padded ones of the same prefix.
    const padding = digits.startsWith('0') || digits.length > 1 ? digits.length : 1;
    const key = `${prefix}\0${suffix.toLowerCase()}\0${padding}`;
    const group = groups.get(key) ?? { prefix, suffix, padding, items: [] };
    group.items.push({ frame: Number(digits), name });
    groups.set(key, group);
  }
  const sequences: ImageSequence[] = [];
  for (const group of groups.values()) {
    if (group.items.length < 2) {
      singles.push(...group.items.map((i) => i.name));
      continue;
    }
    const items = [...group.items].sort((a, b) => a.frame - b.frame);
    const frames = items.map((i) => i.frame);
    const present = new Set(frames);
    const missing: number[] = [];
    for (let f = frames[0]!; f <= frames.at(-1)!; f += 1) if (!present.has(f)) missing.push(f);
    sequences.push({
      pattern: `${group.prefix}%0${group.padding}d${group.suffix}`,
      prefix: group.prefix,
      suffix: group.suffix,
      padding: group.padding,
      first: frames[0]!,
      last: frames.at(-1)!,
      frames,
      missing,
      files: items.map((i) => i.name),
    });
  }
  return { sequences: sequences.sort((a, b) => a.pattern.localeCompare(b.pattern)), singles: singles.sort() };
}

/** The clip name of a sequence: its prefix without trailing separators. */
export function sequenceName(sequence: ImageSequence): string {
  return (sequence.prefix.replace(/^.*[\\/]/, '').replace(/[._-]+$/, '') || sequence.pattern).trim();
}
