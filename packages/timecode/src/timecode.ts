/**
 * SMPTE ST 12 timecode: a frame count at a frame rate, shown as HH:MM:SS:FF (HH:MM:SS;FF for
 * drop-frame). Frame counts run from midnight and wrap at 24 hours like the clocks they come
 * from. The functions work on plain numbers; `Timecode` wraps them as an immutable value.
 */
import { droppedPerMinute, frameRate, nominalFps, sameRate, TimecodeError, type FrameRate } from './rate.ts';

/** What a timecode shows. */
export interface TimecodeFields {
  hours: number;
  minutes: number;
  seconds: number;
  frames: number;
}

/** Fields as written, and how: `;` or `,` before the frames is drop-frame, `:` is not, `.` either. */
export interface WrittenTimecode extends TimecodeFields {
  /** true for `;`/`,`, false for `:`, undefined for `.` (tools write it for both). */
  dropFrame: boolean | undefined;
}

const PATTERN = /^(\d{1,2})[:.;](\d{2})[:.;](\d{2})([:.;,])(\d{2,3})$/;

/** Frame numbers in one 24-hour day at `rate`. */
export function framesPerDay(rate: FrameRate): number {
  const fps = nominalFps(rate);
  return 24 * (fps * 3600 - droppedPerMinute(rate) * 54);
}

/**
 * Reads `HH:MM:SS:FF` without a rate: the syntax, hours 0–23, minutes and seconds 0–59, and the
 * separator before the frames. Whether the frame number exists depends on the rate
 * (`framesFromFields`).
 */
export function parseTimecodeFields(text: string): WrittenTimecode {
  const match = PATTERN.exec(text.trim());
  if (!match) throw new TimecodeError(`"${text}" is not a timecode (HH:MM:SS:FF)`);
  const [hours, minutes, seconds, frames] = [match[1], match[2], match[3], match[5]].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  if (hours > 23) throw new TimecodeError(`"${text}" is out of range: hours run from 00 to 23`);
  if (minutes > 59) throw new TimecodeError(`"${text}" is out of range: minutes run from 00 to 59`);
  if (seconds > 59) throw new TimecodeError(`"${text}" is out of range: seconds run from 00 to 59`);
  const separator = match[4];
  const dropFrame = separator === ';' || separator === ',' ? true : separator === ':' ? false : undefined;
  return { hours, minutes, seconds, frames, dropFrame };
}

/**
 * The frame count of a displayed timecode at `rate`. Refuses frame numbers the rate does not
 * have, including those drop-frame skips (frames 0 and 1 at 29.97, 0–3 at 59.94, of each minute
 * that is not a multiple of ten). `text` names the timecode in errors.
 */
export function framesFromFields(fields: TimecodeFields, rate: FrameRate, text?: string): number {
  const { hours, minutes, seconds, frames } = fields;
  const fps = Math.round(rate.num / rate.den);
  const drop = rate.dropFrame ? fps / 15 : 0;
  if (!within(hours, 23) || !within(minutes, 59) || !within(seconds, 59)) {
    throw new TimecodeError(`"${text ?? formatFields(fields, rate)}" is out of range (00:00:00 to 23:59:59)`);
  }
  if (!within(frames, fps - 1)) {
    throw new TimecodeError(
      `"${text ?? formatFields(fields, rate)}": frame ${frames} does not exist at ${fps} frames per second`,
    );
  }
  if (drop && seconds === 0 && minutes % 10 !== 0 && frames < drop) {
    throw new TimecodeError(
      `"${text ?? formatFields(fields, rate)}" does not exist in drop-frame timecode (frames 0–${drop - 1} of each minute not divisible by 10 are skipped)`,
    );
  }
  const totalMinutes = hours * 60 + minutes;
  return (totalMinutes * 60 + seconds) * fps + frames - drop * (totalMinutes - Math.floor(totalMinutes / 10));
}

function within(n: number, max: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= max;
}

/** Wraps any integer frame count into one day: negative counts and counts ≥ 24 h come round. */
export function wrapFrames(frames: number, rate: FrameRate): number {
  if (!Number.isInteger(frames)) throw new TimecodeError(`frame count must be an integer, got ${frames}`);
  const day = framesPerDay(rate);
  return ((frames % day) + day) % day;
}

/** What a frame count shows at `rate` (wrapped into the day first). */
export function fieldsFromFrames(frames: number, rate: FrameRate): TimecodeFields {
  // nominalFps() and droppedPerMinute(), inline: this runs once per frame of a display.
  const fps = Math.round(rate.num / rate.den);
  const drop = rate.dropFrame ? fps / 15 : 0;
  const day = 24 * (fps * 3600 - drop * 54);
  if (!Number.isInteger(frames)) throw new TimecodeError(`frame count must be an integer, got ${frames}`);
  let n = frames >= 0 && frames < day ? frames : ((frames % day) + day) % day;
  if (drop) {
    // Put back the frame numbers skipped before frame n: 9 × drop per whole ten minutes, and
    // drop for each minute past the first in the current ten-minute block.
    const per10 = fps * 600 - drop * 9;
    const perMinute = fps * 60 - drop;
    const tens = Math.floor(n / per10);
    const rest = n % per10;
    n += drop * 9 * tens + (rest > drop ? drop * Math.floor((rest - drop) / perMinute) : 0);
  }
  const totalSeconds = Math.floor(n / fps);
  return {
    hours: Math.floor(totalSeconds / 3600),
    minutes: Math.floor(totalSeconds / 60) % 60,
    seconds: totalSeconds % 60,
    frames: n - totalSeconds * fps,
  };
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `HH:MM:SS:FF`, `;` before the frames when drop-frame; three frame digits above 100 fps. */
function formatFields(fields: TimecodeFields, rate: FrameRate): string {
  const { hours, minutes, seconds, frames } = fields;
  const separator = rate.dropFrame ? ';' : ':';
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${separator}${pad(frames, nominalFps(rate) > 100 ? 3 : 2)}`;
}

/**
 * The frame count of `text` at `rate`. The separator before the frames must agree with the
 * rate: `;` (or `,`) for drop-frame, `:` otherwise; `.` is accepted for both.
 */
export function parseTimecode(text: string, rate: FrameRate): number {
  const written = parseTimecodeFields(text);
  if (written.dropFrame === true && !rate.dropFrame) {
    throw new TimecodeError(`"${text}" is drop-frame (";" before the frames) but the rate is not`);
  }
  if (written.dropFrame === false && rate.dropFrame) {
    throw new TimecodeError(
      `"${text}" is non-drop-frame (":" before the frames) but the rate is drop-frame: write ";"`,
    );
  }
  return framesFromFields(written, rate, text);
}

/** The timecode a frame count shows at `rate` (wrapping at 24 h). */
export function formatTimecode(frames: number, rate: FrameRate): string {
  return formatFields(fieldsFromFrames(frames, rate), rate);
}

/** `text` moved by `frames` (negative: back), wrapping at 24 h. */
export function addFrames(text: string, frames: number, rate: FrameRate): string {
  return formatTimecode(parseTimecode(text, rate) + frames, rate);
}

/**
 * The frame shown at a position in real time: the one that started at or before it. A
 * thousandth of a frame of tolerance absorbs times rounded to the microsecond or computed in
 * floating point (k × 1001/30000 s), which would otherwise land just before frame k.
 */
export function frameAtSeconds(seconds: number, rate: Pick<FrameRate, 'num' | 'den'>): number {
  if (!Number.isFinite(seconds)) throw new TimecodeError(`invalid time ${seconds} s`);
  return Math.floor((seconds * rate.num) / rate.den + 1e-3);
}

/**
 * What a player shows `seconds` into a clip that starts at `start`: the source timecode of the
 * frame on screen. Drop-frame counting follows how `start` is written (`;` before the frames),
 * as the api and exports write it; with no start, the clip counts from 00:00:00:00.
 */
export function timecodeAtSeconds(
  start: string | null | undefined,
  seconds: number,
  rate: Pick<FrameRate, 'num' | 'den'>,
): string {
  const written = start ? parseTimecodeFields(start) : undefined;
  // frameRate() refuses drop-frame where it does not exist (only 29.97 and 59.94 have it).
  const counting = frameRate(rate.num, rate.den, written?.dropFrame === true);
  const first = written ? framesFromFields(written, counting) : 0;
  return formatTimecode(first + frameAtSeconds(seconds, rate), counting);
}

export class Timecode {
  /** Frames since 00:00:00:00, in [0, framesPerDay). */
  readonly frames: number;
  readonly rate: FrameRate;

  private constructor(frames: number, rate: FrameRate) {
    this.frames = frames;
    this.rate = rate;
  }

  /** A timecode `frames` frames after midnight (negative or ≥ 24 h wraps around). */
  static fromFrames(frames: number, rate: FrameRate): Timecode {
    return new Timecode(wrapFrames(frames, rate), rate);
  }

  /** Reads `HH:MM:SS:FF` at `rate` (see `parseTimecode` for what is refused). */
  static parse(text: string, rate: FrameRate): Timecode {
    return new Timecode(parseTimecode(text, rate), rate);
  }

  /** Timecode of a position given in seconds of real time (e.g. a sample count ÷ sample rate). */
  static fromSeconds(seconds: number, rate: FrameRate): Timecode {
    return Timecode.fromFrames(frameAtSeconds(seconds, rate), rate);
  }

  /**
   * Timecode of an audio position in samples, e.g. a Broadcast WAV's TimeReference. Exact for
   * counts beyond 2^53 (bigint).
   */
  static fromSamples(samples: bigint, sampleRate: number, rate: FrameRate): Timecode {
    const frames = (samples * BigInt(rate.num)) / (BigInt(sampleRate) * BigInt(rate.den));
    return Timecode.fromFrames(Number(frames % BigInt(framesPerDay(rate))), rate);
  }

  /** Hours, minutes, seconds and frames as displayed. */
  get fields(): TimecodeFields {
    return fieldsFromFrames(this.frames, this.rate);
  }

  toString(): string {
    return formatTimecode(this.frames, this.rate);
  }

  toJSON(): string {
    return this.toString();
  }

  /** Real time since midnight, in seconds. */
  toSeconds(): number {
    return (this.frames * this.rate.den) / this.rate.num;
  }

  add(frames: number): Timecode {
    return Timecode.fromFrames(this.frames + frames, this.rate);
  }

  /** Frames from `other` to this one (negative when this one is earlier); same rate only. */
  since(other: Timecode): number {
    assertSameRate(this, other);
    return this.frames - other.frames;
  }

  equals(other: Timecode): boolean {
    return sameRate(this.rate, other.rate) && this.frames === other.frames;
  }
}

function assertSameRate(a: Timecode, b: Timecode): void {
  if (!sameRate(a.rate, b.rate)) throw new TimecodeError(`cannot compare ${a} and ${b}: different rates`);
}

/** A span of frames [start, start + duration): a clip's source range. */
export class TimecodeRange {
  readonly start: Timecode;
  readonly duration: number;

  constructor(start: Timecode, duration: number) {
    if (!Number.isInteger(duration) || duration < 0) throw new TimecodeError(`invalid duration ${duration}`);
    this.start = start;
    this.duration = duration;
  }

  /** From an inclusive first and last timecode, as EDLs and ALEs often give them. */
  static inclusive(first: Timecode, last: Timecode): TimecodeRange {
    return new TimecodeRange(first, last.since(first) + 1);
  }

  /** The first frame after the range (an ALE's or EDL's exclusive End). */
  get end(): Timecode {
    return this.start.add(this.duration);
  }

  /** The last frame inside the range. */
  get last(): Timecode {
    return this.start.add(Math.max(this.duration - 1, 0));
  }

  contains(tc: Timecode): boolean {
    const offset = tc.since(this.start);
    return offset >= 0 && offset < this.duration;
  }

  overlaps(other: TimecodeRange): boolean {
    const offset = other.start.since(this.start);
    return offset < this.duration && -offset < other.duration;
  }
}
