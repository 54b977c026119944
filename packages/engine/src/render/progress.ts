/**
 * ffmpeg's `-progress` output (key=value lines, a block every stats period) as a 0–1 fraction of
 * the media duration, delivered at most every `intervalMs` — callers write it to the database.
 * With a frame rate, progress counts the frames of the first video output (`frame=`), the
 * proxy: `out_time` is the furthest of all outputs, which image branches can run ahead of.
 */
import type { Rational } from '@rushes/schema/metadata';

export interface ProgressTracker {
  /** Feed stdout chunks as they arrive (lines may be split across chunks). */
  feed(chunk: string): void;
  /** Seconds of media written so far. */
  readonly seconds: number;
  /** Whether ffmpeg reported `progress=end`. */
  readonly ended: boolean;
}

export function trackProgress(
  durationSeconds: number,
  frameRate: Rational | undefined,
  onProgress: ((fraction: number) => void) | undefined,
  intervalMs = 250,
  now: () => number = Date.now,
): ProgressTracker {
  let pending = '';
  let seconds = 0;
  let ended = false;
  let lastSent = -Infinity;
  let lastFraction = -1;
  const send = (fraction: number, force: boolean) => {
    if (!onProgress || fraction === lastFraction) return;
    if (!force && now() - lastSent < intervalMs) return;
    lastSent = now();
    lastFraction = fraction;
    onProgress(fraction);
  };
  return {
    feed(chunk) {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [key, value] = line.trim().split('=', 2);
        const count = value && /^\d+$/.test(value) ? Number(value) : undefined;
        if (count !== undefined && frameRate && key === 'frame')
          seconds = (count * frameRate.den) / frameRate.num;
        if (count !== undefined && !frameRate && key === 'out_time_us') seconds = count / 1e6;
        if (key === 'progress') {
          ended = value === 'end';
          const fraction = ended ? 1 : durationSeconds > 0 ? Math.min(0.999, seconds / durationSeconds) : 0;
          send(Math.round(fraction * 1000) / 1000, ended);
        }
      }
    },
    get seconds() {
      return seconds;
    },
    get ended() {
      return ended;
    },
  };
}
