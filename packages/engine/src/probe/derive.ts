/**
 * Facts that follow from other facts: drop-frame from the timecode's separator, the duration in
 * frames from seconds × rate, the end timecode, the ACES input transform from the encoding.
 */
import type { NormalizedClipMetadata, Sourced } from '@rushes/schema/metadata';
import { frameRate, Timecode } from '@rushes/timecode';
import { acesInputTransformFor } from './color-ids.ts';

function derived<T>(value: T, from: Sourced<unknown>, how: string): Sourced<T> {
  return { value, source: from.source, detail: how };
}

export function deriveFields(metadata: NormalizedClipMetadata): NormalizedClipMetadata {
  const m = structuredClone(metadata);
  const start = m.time.startTimecode;
  const rate = m.picture.frameRate;
  if (start && !m.time.dropFrame) {
    m.time.dropFrame = derived(/[;,]/.test(start.value), start, 'separator of the start timecode');
  }
  if (!m.time.durationFrames && m.time.durationSeconds && rate) {
    const frames = Math.round((m.time.durationSeconds.value * rate.value.num) / rate.value.den);
    if (frames > 0) m.time.durationFrames = derived(frames, m.time.durationSeconds, 'duration × frame rate');
  }
  if (start && rate && m.time.durationFrames && !m.time.endTimecode) {
    try {
      const dropFrame = m.time.dropFrame?.value ?? false;
      const tc = Timecode.parse(start.value, frameRate(rate.value.num, rate.value.den, dropFrame));
      m.time.endTimecode = derived(
        tc.add(m.time.durationFrames.value).toString(),
        start,
        'start + duration (exclusive)',
      );
    } catch {
      // A rate that cannot carry this timecode: leave the end unknown rather than guess.
    }
  }
  // Shutter angle and speed say the same thing at a known rate: angle = 360 × fps × speed.
  if (rate && m.exposure.shutterSpeedS && !m.exposure.shutterAngleDeg) {
    const angle = (360 * rate.value.num * m.exposure.shutterSpeedS.value) / rate.value.den;
    if (angle > 0 && angle <= 360) {
      m.exposure.shutterAngleDeg = derived(
        Math.round(angle * 10) / 10,
        m.exposure.shutterSpeedS,
        'from shutter speed × frame rate',
      );
    }
  } else if (rate && m.exposure.shutterAngleDeg && !m.exposure.shutterSpeedS) {
    const speed = (m.exposure.shutterAngleDeg.value * rate.value.den) / (360 * rate.value.num);
    m.exposure.shutterSpeedS = derived(speed, m.exposure.shutterAngleDeg, 'from shutter angle ÷ frame rate');
  }
  const transfer = m.color.transfer?.value;
  const gamut = m.color.gamut?.value ?? m.color.primaries?.value;
  const aces = acesInputTransformFor(transfer, gamut);
  if (aces && !m.color.acesInputTransform) {
    m.color.acesInputTransform = derived(
      aces,
      (m.color.transfer ?? m.color.gamut ?? m.color.primaries)!,
      'from transfer and gamut',
    );
  }
  return m;
}
