/**
 * Frame rates as rationals. Timecode counts frames at the *nominal* rate (24, 30, 60…); the
 * real rate of the NTSC family is nominal × 1000/1001. Drop-frame skips frame numbers (not
 * frames) so that 29.97/59.94 timecode stays close to the clock.
 */
export interface FrameRate {
  /** Frames per `den` seconds: 24000/1001 for 23.976. */
  readonly num: number;
  readonly den: number;
  /** Drop-frame counting (29.97 and 59.94 only). */
  readonly dropFrame: boolean;
}

export class TimecodeError extends Error {
  override name = 'TimecodeError';
}

function rate(num: number, den: number, dropFrame = false): FrameRate {
  return Object.freeze({ num, den, dropFrame });
}

/** The rates productions shoot at, by their usual names. */
export const FRAME_RATES = {
  '23.976': rate(24000, 1001),
  '24': rate(24, 1),
  '25': rate(25, 1),
  '29.97': rate(30000, 1001),
  '29.97DF': rate(30000, 1001, true),
  '30': rate(30, 1),
  '47.952': rate(48000, 1001),
  '48': rate(48, 1),
  '50': rate(50, 1),
  '59.94': rate(60000, 1001),
  '59.94DF': rate(60000, 1001, true),
  '60': rate(60, 1),
  '100': rate(100, 1),
  '119.88': rate(120000, 1001),
  '120': rate(120, 1),
} as const;

export type FrameRateName = keyof typeof FRAME_RATES;

/** Frames per timecode second: 24 for 23.976, 30 for 29.97. */
export function nominalFps(r: FrameRate): number {
  return Math.round(r.num / r.den);
}

/** Frame numbers dropped at each minute that is not a multiple of ten (0 when not DF). */
export function droppedPerMinute(r: FrameRate): number {
  return r.dropFrame ? nominalFps(r) / 15 : 0;
}

/** Builds and checks a rate; drop-frame exists only for the 1000/1001 rates 29.97 and 59.94. */
export function frameRate(num: number, den: number, dropFrame = false): FrameRate {
  if (!Number.isInteger(num) || !Number.isInteger(den) || num <= 0 || den <= 0) {
    throw new TimecodeError(`invalid frame rate ${num}/${den}`);
  }
  const r = rate(num, den, dropFrame);
  if (dropFrame && !(den === 1001 && (nominalFps(r) === 30 || nominalFps(r) === 60))) {
    throw new TimecodeError(`drop-frame timecode exists only at 29.97 and 59.94, not ${num}/${den}`);
  }
  return r;
}

/**
 * Reads a rate as tools write it: `23.976`, `23.98`, `29.97DF`, `24000/1001`, `25`, `59.94 DF`.
 * Decimal NTSC rates map to their exact 1000/1001 rationals.
 */
export function parseFrameRate(text: string, dropFrame?: boolean): FrameRate {
  const cleaned = text.trim().toUpperCase().replace(/\s+/g, '');
  const df = dropFrame ?? (!cleaned.endsWith('NDF') && /(DF|D)$/.test(cleaned));
  const body = cleaned.replace(/(NDF|DF|D)$/, '');
  const ratio = /^(\d+)\/(\d+)$/.exec(body);
  if (ratio) return frameRate(Number(ratio[1]), Number(ratio[2]), df);
  const value = Number(body);
  if (!body || !Number.isFinite(value) || value <= 0)
    throw new TimecodeError(`unrecognized frame rate "${text}"`);
  const nominal = Math.round(value);
  if (Number.isInteger(value)) return frameRate(value, 1, df);
  // 23.976, 23.98, 29.97, 47.95, 59.94, 119.88 …
  if (Math.abs(value - (nominal * 1000) / 1001) < 0.006) return frameRate(nominal * 1000, 1001, df);
  throw new TimecodeError(`unrecognized frame rate "${text}"`);
}

/** Short name: `23.976`, `25`, `29.97DF`. */
export function formatFrameRate(r: FrameRate): string {
  const value = r.num / r.den;
  const text = r.den === 1 ? String(r.num) : String(Math.round(value * 1000) / 1000);
  return r.dropFrame ? `${text}DF` : text;
}

/** Same rate and the same counting: 24000/1001 equals 48000/2002, 29.97 DF differs from NDF. */
export function sameRate(a: FrameRate, b: FrameRate): boolean {
  return a.num * b.den === b.num * a.den && a.dropFrame === b.dropFrame;
}
