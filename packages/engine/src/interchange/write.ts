/**
 * Writers of a list of clips (a roll or a selection) as a CMX 3600 EDL or an OpenTimelineIO
 * timeline, and the way back from the readers' documents to that list. Pure; every timecode
 * goes through @rushes/timecode.
 */
import {
  formatTimecode,
  frameRate,
  framesFromFields,
  parseFrameRate,
  parseTimecodeFields,
  sameRate,
  Timecode,
  wrapFrames,
  type FrameRate,
} from '@rushes/timecode';
import type { Triple } from '../sidecar/cdl.ts';
import { InterchangeError, type EdlDocument } from './edl.ts';
import { otioClips, type OtioDocument, type OtioTimeline } from './otio.ts';

export interface InterchangeCdl {
  slope: Triple;
  offset: Triple;
  power: Triple;
  saturation: number;
}

export interface InterchangeClip {
  name: string;
  reel: string;
  /** First frame, `HH:MM:SS:FF` (`;` before the frames at drop-frame rates). */
  sourceIn: string;
  /** The frame after the last one (exclusive), as EDLs write it. */
  sourceOut: string;
  rate: FrameRate;
  sourceFile?: string;
  cdl?: InterchangeCdl;
}

export interface WriteOptions {
  title: string;
  /** Record timecode of the first event; default 01:00:00:00 (the NLE convention). */
  recordStart?: string;
}

function sourceFrames(clip: InterchangeClip): { first: number; count: number } {
  const first = Timecode.parse(clip.sourceIn, clip.rate);
  const after = Timecode.parse(clip.sourceOut, clip.rate);
  // A take that runs through midnight wraps, like the clock it was recorded from.
  const count = wrapFrames(after.since(first), clip.rate);
  if (count === 0)
    throw new InterchangeError(
      `clip "${clip.name}": source out ${clip.sourceOut} is the same frame as its source in ${clip.sourceIn}: an empty range`,
    );
  return { first: first.frames, count };
}

function sequenceRate(clips: readonly InterchangeClip[]): FrameRate {
  const rate = clips[0]?.rate;
  if (!rate) throw new InterchangeError('nothing to write: no clips');
  const other = clips.find((c) => !sameRate(c.rate, rate));
  if (other)
    throw new InterchangeError(
      `clip "${other.name}" is at ${other.rate.num}/${other.rate.den}${other.rate.dropFrame ? ' DF' : ''}, the list at ${rate.num}/${rate.den}${rate.dropFrame ? ' DF' : ''}: one rate per list`,
    );
  return rate;
}

const eventNumber = (n: number) => String(n).padStart(3, '0');
const numbers = (values: readonly number[]) => values.map((v) => String(v)).join(' ');

/** A CMX 3600 EDL: one cut per clip on V, laid end to end from `recordStart`. */
export function writeEdl(clips: readonly InterchangeClip[], options: WriteOptions): string {
  const rate = sequenceRate(clips);
  if (clips.length > 999_999) throw new InterchangeError('an EDL holds at most 999999 events');
  let record = Timecode.parse(options.recordStart ?? (rate.dropFrame ? '01:00:00;00' : '01:00:00:00'), rate);
  const lines = [
    `TITLE: ${options.title.replace(/[\r\n]+/g, ' ')}`,
    `FCM: ${rate.dropFrame ? 'DROP FRAME' : 'NON-DROP FRAME'}`,
  ];
  clips.forEach((clip, index) => {
    if (!clip.reel || /\s/.test(clip.reel))
      throw new InterchangeError(`clip "${clip.name}": an EDL reel name must be non-empty, without spaces`);
    const { first, count } = sourceFrames(clip);
    const end = record.add(count);
    lines.push(
      [
        `${eventNumber(index + 1)}  ${clip.reel.padEnd(8)} ${'V'.padEnd(5)} ${'C'.padEnd(8)}`,
        formatTimecode(first, rate),
        formatTimecode(first + count, rate),
        record.toString(),
        end.toString(),
      ].join(' '),
    );
    lines.push(`* FROM CLIP NAME: ${clip.name.replace(/[\r\n]+/g, ' ')}`);
    if (clip.sourceFile) lines.push(`* SOURCE FILE: ${clip.sourceFile.replace(/[\r\n]+/g, ' ')}`);
    if (clip.cdl) {
      const { slope, offset, power, saturation } = clip.cdl;
      lines.push(`*ASC_SOP (${numbers(slope)})(${numbers(offset)})(${numbers(power)})`);
      lines.push(`*ASC_SAT ${saturation}`);
    }
    record = end;
  });
  return lines.join('\r\n') + '\r\n';
}

/** Exact rational rate as OTIO stores it: a double (24000/1001 → 23.976023976023978). */
const otioRate = (rate: FrameRate) => rate.num / rate.den;

const rationalTime = (value: number, rate: number) => ({ OTIO_SCHEMA: 'RationalTime.1', rate, value });

/** An OTIO Timeline.1: one video Track.1 of Clip.2s, reel and CDL in OTIO's CMX metadata. */
export function writeOtio(clips: readonly InterchangeClip[], options: WriteOptions): string {
  const rate = sequenceRate(clips);
  const r = otioRate(rate);
  const record = Timecode.parse(
    options.recordStart ?? (rate.dropFrame ? '01:00:00;00' : '01:00:00:00'),
    rate,
  );
  const children = clips.map((clip) => {
    const { first, count } = sourceFrames(clip);
    const metadata: Record<string, unknown> = { cmx_3600: { reel: clip.reel } };
    if (clip.cdl) {
      metadata['cdl'] = {
        asc_sop: { slope: clip.cdl.slope, offset: clip.cdl.offset, power: clip.cdl.power },
        asc_sat: clip.cdl.saturation,
      };
    }
    const reference = clip.sourceFile
      ? {
          OTIO_SCHEMA: 'ExternalReference.1',
          metadata: {},
          name: '',
          available_range: null,
          available_image_bounds: null,
          target_url: clip.sourceFile,
        }
      : {
          OTIO_SCHEMA: 'MissingReference.1',
          metadata: {},
          name: '',
          available_range: null,
          available_image_bounds: null,
        };
    return {
      OTIO_SCHEMA: 'Clip.2',
      metadata,
      name: clip.name,
      source_range: {
        OTIO_SCHEMA: 'TimeRange.1',
        duration: rationalTime(count, r),
        start_time: rationalTime(first, r),
      },
      effects: [],
      markers: [],
      enabled: true,
      media_references: { DEFAULT_MEDIA: reference },
      active_media_reference_key: 'DEFAULT_MEDIA',
    };
  });
  const timeline = {
    OTIO_SCHEMA: 'Timeline.1',
    metadata: {},
    name: options.title,
    global_start_time: rationalTime(record.frames, r),
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      metadata: {},
      name: 'tracks',
      source_range: null,
      effects: [],
      markers: [],
      enabled: true,
      children: [
        {
          OTIO_SCHEMA: 'Track.1',
          metadata: {},
          name: 'V',
          source_range: null,
          effects: [],
          markers: [],
          enabled: true,
          kind: 'Video',
          children,
        },
      ],
    },
  };
  return JSON.stringify(timeline, null, 4) + '\n';
}

/** The clips of an EDL (the incoming edit of each event; black `BL` left out). Needs the rate. */
export function clipsFromEdl(document: EdlDocument): InterchangeClip[] {
  if (!document.rate)
    throw new InterchangeError('an EDL read without a rate has no frame counts: give the rate');
  const [num, den] = document.rate.split('/').map(Number) as [number, number];
  return document.events.flatMap((event) => {
    const edit = event.edits.at(-1)!;
    if (edit.reel.toUpperCase() === 'BL') return [];
    const rate = frameRate(num, den, event.dropFrame);
    const tc = (text: string) =>
      formatTimecode(framesFromFields(parseTimecodeFields(text), rate, text), rate);
    const clip: InterchangeClip = {
      name: event.clipName ?? '',
      reel: edit.reel,
      sourceIn: tc(edit.sourceIn),
      sourceOut: tc(edit.sourceOut),
      rate,
    };
    if (event.sourceFile) clip.sourceFile = event.sourceFile;
    if (event.cdl?.slope && event.cdl.offset && event.cdl.power)
      clip.cdl = {
        slope: event.cdl.slope,
        offset: event.cdl.offset,
        power: event.cdl.power,
        saturation: event.cdl.saturation ?? 1,
      };
    return [clip];
  });
}

function triple(value: unknown): Triple | undefined {
  return Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'number')
    ? (value as Triple)
    : undefined;
}

/**
 * The clips of an OTIO timeline, in track order. Frame counts come from each clip's
 * source_range; drop-frame counting is the caller's (OTIO stores none).
 */
export function clipsFromOtio(
  document: OtioDocument,
  options: { dropFrame?: boolean } = {},
): InterchangeClip[] {
  const root = document.root;
  const timeline = root.kind === 'Timeline' ? root : undefined;
  if (!timeline) throw new InterchangeError(`an OTIO ${root.kind} is not a timeline`);
  return otioClips(timeline as OtioTimeline).map((clip) => {
    if (!clip.sourceRange) throw new InterchangeError(`OTIO clip "${clip.name}" has no source_range`);
    const { startTime, duration } = clip.sourceRange;
    const rate = parseFrameRate(String(startTime.rate), options.dropFrame ?? false);
    if (
      !Number.isInteger(startTime.value) ||
      !Number.isInteger(duration.value) ||
      startTime.rate !== duration.rate
    )
      throw new InterchangeError(`OTIO clip "${clip.name}": source_range is not whole frames at one rate`);
    const metadata = clip.metadata;
    const cmx = (metadata['cmx_3600'] ?? {}) as Record<string, unknown>;
    const out: InterchangeClip = {
      name: clip.name,
      reel: typeof cmx['reel'] === 'string' ? cmx['reel'] : '',
      sourceIn: formatTimecode(startTime.value, rate),
      sourceOut: formatTimecode(startTime.value + duration.value, rate),
      rate,
    };
    const reference = clip.mediaReferences[clip.activeMediaReferenceKey];
    if (reference?.kind === 'ExternalReference' && reference.targetUrl) out.sourceFile = reference.targetUrl;
    const cdl = metadata['cdl'] as { asc_sop?: Record<string, unknown>; asc_sat?: unknown } | undefined;
    const sop = cdl?.asc_sop;
    const [slope, offset, power] = [triple(sop?.['slope']), triple(sop?.['offset']), triple(sop?.['power'])];
    if (slope && offset && power)
      out.cdl = { slope, offset, power, saturation: typeof cdl?.asc_sat === 'number' ? cdl.asc_sat : 1 };
    return out;
  });
}
