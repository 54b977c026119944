/**
 * SMPTE ST 12 timecode: a frame count at a frame rate, shown as HH:MM:SS:FF (HH:MM:SS;FF for
 * drop-frame). Immutable; wraps at 24 hours like the clocks it comes from.
 */
import { droppedPerMinute, nominalFps, TimecodeError, type FrameRate } from './rate.ts';

const PATTERN = /^(\d{1,2})[:.;](\d{2})[:.;](\d{2})([:.;,])(\d{2,3})$/;

/** Frame numbers in one 24-hour day at `rate`. */
export function framesPerDay(rate: FrameRate): number {
  const fps = nominalFps(rate);
  return 24 * (fps * 3600 - droppedPerMinute(rate) * 54);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
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
    if (!Number.isInteger(frames)) throw new TimecodeError(`frame count must be an integer, got ${frames}`);
    const day = framesPerDay(rate);
    return new Timecode(((frames % day) + day) % day, rate);
  }

  /**
   * Reads `HH:MM:SS:FF`; `;` or `,` before the frames marks drop-frame, which must agree with
   * `rate`. Refuses frame numbers the rate does not have, including those drop-frame skips.
   */
  static parse(text: string, rate: FrameRate): Timecode {
    const match = PATTERN.exec(text.trim());
    if (!match) throw new TimecodeError(`"${text}" is not a timecode (HH:MM:SS:FF)`);
    const [hh, mm, ss, separator, ff] = [
      Number(match[1]),
      Number(match[2]),
      Number(match[3]),
      match[4],
      Number(match[5]),
    ];
    const fps = nominalFps(rate);
    if ((separator === ';' || separator === ',') && !rate.dropFrame) {
      throw new TimecodeError(`"${text}" is drop-frame but the rate is not`);
    }
    if (hh > 23 || mm > 59 || ss > 59) throw new TimecodeError(`"${text}" is out of range`);
    if (ff >= fps)
      throw new TimecodeError(`"${text}": frame ${ff} does not exist at ${fps} frames per second`);
    const drop = droppedPerMinute(rate);
    if (drop && ss === 0 && mm % 10 !== 0 && ff < drop) {
      throw new TimecodeError(
        `"${text}" does not exist in drop-frame timecode (frames 0–${drop - 1} are skipped)`,
      );
    }
    const totalMinutes = hh * 60 + mm;
    const frames =
      (hh * 3600 + mm * 60 + ss) * fps + ff - drop * (totalMinutes - Math.floor(totalMinutes / 10));
    return new Timecode(frames, rate);
  }

  /** Timecode of a position given in seconds of real time (e.g. a sample count ÷ sample rate). */
  static fromSeconds(seconds: number, rate: FrameRate): Timecode {
    return Timecode.fromFrames(Math.floor((seconds * rate.num) / rate.den + 1e-9), rate);
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
  get fields(): { hours: number; minutes: number; seconds: number; frames: number } {
    const fps = nominalFps(this.rate);
    const drop = droppedPerMinute(this.rate);
    let n = this.frames;
    if (drop) {
      const per10 = fps * 600 - drop * 9;
      const perMinute = fps * 60 - drop;
      const tens = Math.floor(n / per10);
      const rest = n % per10;
      n += drop * 9 * tens + (rest > drop ? drop * Math.floor((rest - drop) / perMinute) : 0);
    }
    return {
      hours: Math.floor(n / (fps * 3600)),
      minutes: Math.floor(n / (fps * 60)) % 60,
      seconds: Math.floor(n / fps) % 60,
      frames: n % fps,
    };
  }

  toString(): string {
    const { hours, minutes, seconds, frames } = this.fields;
    const fps = nominalFps(this.rate);
    const separator = this.rate.dropFrame ? ';' : ':';
    return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${separator}${pad(frames, fps > 100 ? 3 : 2)}`;
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

export function sameRate(a: FrameRate, b: FrameRate): boolean {
  return a.num * b.den === b.num * a.den && a.dropFrame === b.dropFrame;
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
