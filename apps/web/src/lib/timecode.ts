/** The player's display and frame stepping: @rushes/timecode's, with a dash when the clip's rate is unknown. */
import { TimecodeError, frameAtSeconds, timecodeAtSeconds } from '@rushes/timecode';

type Rate = { num: number; den: number };

/** The index of a clip's last frame, for a media `duration` in seconds (none when unknown). */
function lastFrame(duration: number | undefined, rate: Rate): number | undefined {
  if (duration === undefined || !Number.isFinite(duration) || duration <= 0) return undefined;
  return Math.max(0, Math.ceil((duration * rate.num) / rate.den - 1e-3) - 1);
}

/**
 * The source timecode of the frame on screen `seconds` into the proxy: drop-frame when the
 * clip's start is (`;`), as the api and the ALE write it. '—' without a rate or a readable start.
 * Given the proxy's `duration`, the end of playback (`currentTime === duration`, where the
 * last frame stays on screen) reads as the last frame, not the first frame after the clip.
 */
export function playerTimecode(
  start: string | null | undefined,
  seconds: number,
  rate: Rate | null | undefined,
  duration?: number,
): string {
  if (!rate) return '—';
  try {
    const last = lastFrame(duration, rate);
    const shown = last === undefined ? seconds : Math.min(seconds, (last * rate.den) / rate.num);
    return timecodeAtSeconds(start, shown, rate);
  } catch (error) {
    if (error instanceof TimecodeError) return '—';
    throw error;
  }
}

/**
 * Where the player seeks to step `frames` frames (negative: back) from the frame on screen at
 * `seconds`: the middle of the target frame, kept within the clip (its `duration`, when known).
 * Not the frame's start: browsers keep media time in whole microseconds (Chromium reads a seek
 * to 1001/30000 s back as 0.033366 and shows frame 0 there, while the label says frame 1); the
 * middle of a frame is half a frame from either neighbour.
 */
export function frameStepSeconds(seconds: number, frames: number, rate: Rate, duration?: number): number {
  const last = lastFrame(duration, rate) ?? Number.POSITIVE_INFINITY;
  const current = Math.min(last, frameAtSeconds(seconds, rate));
  const target = Math.min(last, Math.max(0, current + frames));
  return ((target + 0.5) * rate.den) / rate.num;
}
