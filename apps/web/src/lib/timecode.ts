/** The player's timecode display: @rushes/timecode's, with a dash when the clip's rate is unknown. */
import { TimecodeError, timecodeAtSeconds } from '@rushes/timecode';

/**
 * The source timecode of the frame on screen `seconds` into the proxy: drop-frame when the
 * clip's start is (`;`), as the api and the ALE write it. '—' without a rate or a readable start.
 */
export function playerTimecode(
  start: string | null | undefined,
  seconds: number,
  rate: { num: number; den: number } | null | undefined,
): string {
  if (!rate) return '—';
  try {
    return timecodeAtSeconds(start, seconds, rate);
  } catch (error) {
    if (error instanceof TimecodeError) return '—';
    throw error;
  }
}
