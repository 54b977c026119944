/**
 * What a render needs to know about its source, taken from the probe's normalized metadata:
 * picture geometry and rate, how its YUV is coded, timecode, names, audio, colour encoding.
 */
import type { NormalizedClipMetadata, Rational } from '@rushes/schema/metadata';
import { frameRate, Timecode, TimecodeError } from '@rushes/timecode';
import { isColorspaceId } from '../color/colorspaces.ts';
import type { AcesInputTransform } from '../probe/color-ids.ts';
import type { ImageSequence } from '../sequence/find.ts';

export type RenderInput =
  | { kind: 'file'; path: string }
  | {
      kind: 'sequence';
      folder: string;
      sequence: Pick<ImageSequence, 'prefix' | 'suffix' | 'padding' | 'first'>;
    };

export interface RenderSource {
  input: RenderInput;
  clipName: string;
  reel?: string;
  picture?: {
    width: number;
    height: number;
    /** Width of one pixel relative to its height (anamorphic: 2). */
    pixelAspect: number;
    frameRate: Rational;
    /** YUV matrix as scale's in_color_matrix wants it, e.g. `bt709`. */
    matrix: string;
    range: 'tv' | 'pc';
  };
  audio?: { channels: number; sampleRateHz: number };
  /** `HH:MM:SS:FF`, `;` before the frames when drop-frame. */
  startTimecode?: string;
  durationSeconds: number;
  /** The camera encoding, when known: picks the ACES input transform. */
  colorspace?: AcesInputTransform;
}

const MATRICES: Record<string, string> = {
  bt709: 'bt709',
  bt470bg: 'bt601',
  smpte170m: 'smpte170m',
  bt601: 'bt601',
  smpte240m: 'smpte240m',
  bt2020nc: 'bt2020',
  bt2020c: 'bt2020',
  fcc: 'fcc',
};

/** The start timecode as ffmpeg's -timecode wants it (`;` for drop-frame only); undefined if unreadable. */
function startTimecodeOf(metadata: NormalizedClipMetadata, rate: Rational | undefined): string | undefined {
  const written = metadata.time?.startTimecode?.value;
  if (!written || !rate) return undefined;
  try {
    return Timecode.parse(
      written,
      frameRate(rate.num, rate.den, metadata.time?.dropFrame?.value ?? false),
    ).toString();
  } catch (error) {
    if (error instanceof TimecodeError) return undefined;
    throw error;
  }
}

/** Pure: a RenderSource from the probe's metadata; undefined fields stay undefined. */
export function renderSourceFrom(
  metadata: NormalizedClipMetadata,
  input: RenderInput,
  fallbackName: string,
): RenderSource {
  const p = metadata.picture;
  const rate = p?.frameRate?.value;
  const width = p?.width?.value;
  const height = p?.height?.value;
  const matrixName = metadata.color?.matrix?.value?.toLowerCase().replace(/[^a-z0-9]/g, '') ?? '';
  const squeeze =
    p?.pixelAspect?.value && p.pixelAspect.value !== 1 ? p.pixelAspect.value : p?.anamorphicSqueeze?.value;
  const colorspace = metadata.color?.acesInputTransform?.value;
  const audioChannels = metadata.audio?.channels?.value;
  const durationSeconds =
    metadata.time?.durationSeconds?.value ??
    (metadata.time?.durationFrames?.value && rate
      ? (metadata.time.durationFrames.value * rate.den) / rate.num
      : 0);
  return {
    input,
    clipName: metadata.identity?.clipName?.value ?? fallbackName,
    reel: metadata.identity?.reel?.value,
    picture:
      width && height && rate
        ? {
            width,
            height,
            pixelAspect: squeeze && squeeze > 0 ? squeeze : 1,
            frameRate: rate,
            matrix: MATRICES[matrixName] ?? (height > 576 ? 'bt709' : 'bt601'),
            range: metadata.color?.range?.value === 'pc' ? 'pc' : 'tv',
          }
        : undefined,
    audio: audioChannels
      ? { channels: audioChannels, sampleRateHz: metadata.audio?.sampleRateHz?.value ?? 48000 }
      : undefined,
    startTimecode: startTimecodeOf(metadata, rate),
    durationSeconds,
    colorspace: colorspace && isColorspaceId(colorspace) ? colorspace : undefined,
  };
}
