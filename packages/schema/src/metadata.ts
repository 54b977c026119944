/**
 * The normalized clip metadata every consumer reads: one document per clip, explicit
 * units in the field names, and for every value the source it came from. When sources disagree
 * the chosen value carries the others as `conflicts`, so they can be shown rather than hidden.
 */
import { z } from 'zod';

export const metadataSource = z.enum([
  /** ffprobe: container (format) level. */
  'container',
  /** ffprobe: a stream (video, audio, data/timecode track). */
  'stream',
  /** exiftool, with the tag as `detail` (e.g. `Sony:SerialNumber`). */
  'exiftool',
  /** Broadcast WAV bext chunk. */
  'bext',
  /** Broadcast WAV iXML chunk. */
  'ixml',
  /** An image sequence's frame range or headers. */
  'sequence',
  /** A sidecar file (ALE, CDL, sound report). */
  'sidecar',
  /** Parsed from the file name by a vendor convention (lowest priority). */
  'filename',
  /** Entered by a person. */
  'user',
]);
export type MetadataSource = z.infer<typeof metadataSource>;

const candidate = <T extends z.ZodType>(value: T) =>
  z.object({ value, source: metadataSource, detail: z.string().optional() });

/** A value, where it came from, and what other sources said. */
export const sourced = <T extends z.ZodType>(value: T) =>
  candidate(value).extend({ conflicts: z.array(candidate(value)).optional() });

export type Sourced<T> = {
  value: T;
  source: MetadataSource;
  detail?: string;
  conflicts?: { value: T; source: MetadataSource; detail?: string }[];
};

export const rational = z.object({ num: z.number().int().positive(), den: z.number().int().positive() });
export type Rational = z.infer<typeof rational>;

const s = sourced(z.string()).optional();
const n = sourced(z.number()).optional();
const b = sourced(z.boolean()).optional();

export const normalizedClipMetadata = z.object({
  identity: z.object({
    clipName: s,
    reel: s,
    cameraUnit: s,
    clipIndex: n,
    /** ISO 8601 date-time (or date) of recording. */
    recordDate: s,
    scene: s,
    take: s,
  }),
  camera: z.object({ make: s, model: s, serial: s, firmware: s }),
  lens: z.object({ model: s, serial: s, focalLengthMm: n, tStop: n, fNumber: n, focusDistanceM: n }),
  exposure: z.object({
    exposureIndex: n,
    shutterAngleDeg: n,
    shutterSpeedS: n,
    whiteBalanceK: n,
    tint: n,
    ndStops: n,
  }),
  picture: z.object({
    width: n,
    height: n,
    pixelAspect: n,
    anamorphicSqueeze: n,
    frameRate: sourced(rational).optional(),
    codec: s,
    profile: s,
    bitDepth: n,
    chroma: s,
    scan: s,
    /** Stereo or multi-view images (OpenEXR multiView), e.g. ["left", "right"]. */
    views: sourced(z.array(z.string())).optional(),
    /** Image channels as stored, e.g. `R G B A` (image sequences). */
    channels: s,
  }),
  color: z.object({
    /** Camera gamut, e.g. `ARRI Wide Gamut 3`, `S-Gamut3.Cine`. */
    gamut: s,
    /** Transfer / log encoding, e.g. `LogC3`, `S-Log3`. */
    transfer: s,
    /** The ACES input transform this encoding maps to (engine colour ids). */
    acesInputTransform: s,
    /** As flagged in the stream (bt709, bt2020…). */
    primaries: s,
    matrix: s,
    range: s,
  }),
  time: z.object({
    startTimecode: s,
    endTimecode: s,
    durationFrames: n,
    durationSeconds: n,
    dropFrame: b,
  }),
  audio: z.object({
    channels: n,
    sampleRateHz: n,
    bitDepth: n,
    codec: s,
    project: s,
    scene: s,
    take: s,
    tape: s,
    circled: b,
    note: s,
    trackNames: sourced(z.array(z.string())).optional(),
    originator: s,
    speed: s,
  }),
  file: z.object({
    container: s,
    sizeBytes: n,
    originalPath: s,
  }),
});

export type NormalizedClipMetadata = z.infer<typeof normalizedClipMetadata>;

/** The groups of the document, in display order. */
export const metadataGroups = [
  'identity',
  'camera',
  'lens',
  'exposure',
  'picture',
  'color',
  'time',
  'audio',
  'file',
] as const satisfies readonly (keyof NormalizedClipMetadata)[];

/** JSON Schema of the document, for consumers outside TypeScript. */
export function metadataJsonSchema(): unknown {
  return z.toJSONSchema(normalizedClipMetadata);
}
