/**
 * CMX 3600 edit decision lists, as NLEs export them: `TITLE:`, `FCM:` (which may change between
 * events), event lines (number, reel, track, transition C / D nnn / W nnn / K, source in/out,
 * record in/out), `M2` speed changes and the comment lines tools put under an event
 * (`* FROM CLIP NAME:`, `* TO CLIP NAME:`, `* SOURCE FILE:`, `* FROM CLIP:`, `* LOC:`,
 * `* ASC_SOP` / `* ASC_SAT` with or without a colon). An EDL does not state its frame rate:
 * timecodes are kept as written and, when the caller gives the rate, also counted in frames.
 * All timecode work goes through @rushes/timecode.
 */
import { frameRate, framesFromFields, parseTimecodeFields, type FrameRate } from '@rushes/timecode';
import { parseAscSop, type Triple } from '../sidecar/cdl.ts';

export class InterchangeError extends Error {
  override name = 'InterchangeError';
  readonly code = 'INTERCHANGE_INVALID';
}

export type EdlTransition =
  | { type: 'cut' }
  | { type: 'dissolve'; frames: number }
  /** `W001 030`: the SMPTE wipe code (001) and its duration. */
  | { type: 'wipe'; code: string; frames: number }
  /** `K`, `KB`, `KO`: key edits, kept as written. */
  | { type: 'key'; code: string; frames?: number };

export interface EdlEdit {
  reel: string;
  /** As written: V, A, A2, AA, B, AA/V, A12… */
  track: string;
  transition: EdlTransition;
  sourceIn: string;
  sourceOut: string;
  recordIn: string;
  recordOut: string;
  /** Frame counts of the four timecodes, when the caller gave the rate. */
  frames?: { sourceIn: number; sourceOut: number; recordIn: number; recordOut: number };
}

/** `M2 REEL 048.0 01:00:10:00`: the reel plays at `fps` (negative: reverse) from `sourceIn`. */
export interface EdlSpeed {
  reel: string;
  fps: number;
  sourceIn: string;
}

/** `* LOC: 01:00:01:14 RED ANIM FIX NEEDED`. */
export interface EdlMarker {
  timecode: string;
  color?: string;
  comment: string;
}

export interface EdlCdl {
  slope?: Triple;
  offset?: Triple;
  power?: Triple;
  saturation?: number;
}

export interface EdlEvent {
  /** Event number as written (`001`). */
  number: string;
  /** Drop-frame counting in effect for this event (the last FCM before it). */
  dropFrame: boolean;
  /** One edit, or two for a transition (outgoing cut, then the incoming edit). */
  edits: EdlEdit[];
  clipName?: string;
  toClipName?: string;
  sourceFile?: string;
  /** Avid's `* FROM CLIP:` (a path). */
  fromClip?: string;
  speeds: EdlSpeed[];
  markers: EdlMarker[];
  cdl?: EdlCdl;
  /** Every other comment line, without its leading `*`. */
  comments: string[];
}

export interface EdlDocument {
  format: 'CMX3600';
  title?: string;
  /** The first FCM (false when the file has none: CMX's default is non-drop). */
  dropFrame: boolean;
  /** The rate the caller gave, as `num/den`. */
  rate?: string;
  /** Comments before the first event. */
  comments: string[];
  events: EdlEvent[];
}

export interface EdlOptions {
  /** The sequence's frame rate (an EDL does not state it); drop-frame comes from FCM. */
  rate?: Pick<FrameRate, 'num' | 'den'>;
}

/** Colours Avid and OTIO write in LOC lines. */
const LOC_COLORS = new Set([
  'RED',
  'PINK',
  'ORANGE',
  'YELLOW',
  'GREEN',
  'CYAN',
  'BLUE',
  'PURPLE',
  'MAGENTA',
  'BLACK',
  'WHITE',
]);

const TIMECODE = /^\d{1,2}[:;.]\d{2}[:;.]\d{2}[:;.,]\d{2,3}$/;

function checkTimecode(text: string, line: number): string {
  try {
    parseTimecodeFields(text);
  } catch (error) {
    throw new InterchangeError(`EDL line ${line}: ${(error as Error).message}`);
  }
  return text;
}

function parseTransition(tokens: string[], line: number): EdlTransition {
  const [code = '', duration] = tokens;
  const frames = duration === undefined ? undefined : Number(duration);
  if (frames !== undefined && !(Number.isInteger(frames) && frames >= 0))
    throw new InterchangeError(`EDL line ${line}: transition duration "${duration}" is not a frame count`);
  const upper = code.toUpperCase();
  if (upper === 'C' && tokens.length === 1) return { type: 'cut' };
  if (upper === 'D' && frames !== undefined) return { type: 'dissolve', frames };
  const wipe = /^W(\d{3})$/.exec(upper);
  if (wipe && frames !== undefined) return { type: 'wipe', code: wipe[1]!, frames };
  if (/^K[BO]?$/.test(upper))
    return frames === undefined ? { type: 'key', code: upper } : { type: 'key', code: upper, frames };
  throw new InterchangeError(`EDL line ${line}: unknown transition "${tokens.join(' ')}"`);
}

function triple(values: number[]): Triple {
  return [values[0]!, values[1]!, values[2]!];
}

/** `(s s s)(o o o)(p p p)`, with or without spaces between groups, or nine bare numbers. */
function parseSop(value: string, line: number): Pick<EdlCdl, 'slope' | 'offset' | 'power'> {
  const grouped = parseAscSop(value);
  if (grouped) return grouped;
  const bare = value
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  if (bare.length === 9 && bare.every(Number.isFinite))
    return { slope: triple(bare), offset: triple(bare.slice(3)), power: triple(bare.slice(6)) };
  throw new InterchangeError(`EDL line ${line}: ASC_SOP "${value.trim()}" is not (slope)(offset)(power)`);
}

function parseSat(value: string, line: number): number {
  const text = value
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  const sat = Number(text);
  if (!text || !Number.isFinite(sat) || sat < 0)
    throw new InterchangeError(`EDL line ${line}: ASC_SAT "${value.trim()}" is not a saturation`);
  return sat;
}

/** Pure: reads the text of a CMX 3600 EDL. */
export function parseEdl(text: string, options: EdlOptions = {}): EdlDocument {
  const document: EdlDocument = { format: 'CMX3600', dropFrame: false, comments: [], events: [] };
  if (options.rate) document.rate = `${options.rate.num}/${options.rate.den}`;
  let dropFrame: boolean | undefined;
  let event: EdlEvent | undefined;
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);

  const counting = (df: boolean, line: number): FrameRate | undefined => {
    if (!options.rate) return undefined;
    try {
      return frameRate(options.rate.num, options.rate.den, df);
    } catch (error) {
      throw new InterchangeError(`EDL line ${line}: ${(error as Error).message}`);
    }
  };
  const frames = (tc: string, rate: FrameRate, line: number): number => {
    try {
      // FCM decides the counting; the separator some tools write does not.
      return framesFromFields(parseTimecodeFields(tc), rate, tc);
    } catch (error) {
      throw new InterchangeError(`EDL line ${line}: ${(error as Error).message}`);
    }
  };

  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (!trimmed) return;
    const title = /^TITLE:\s*(.*)$/i.exec(trimmed);
    if (title) {
      document.title = title[1]!.trim();
      return;
    }
    const fcm = /^FCM:\s*(.*)$/i.exec(trimmed);
    if (fcm) {
      const mode = fcm[1]!
        .trim()
        .toUpperCase()
        .replace(/[\s-]+/g, ' ');
      if (mode === 'DROP FRAME') dropFrame = true;
      else if (mode === 'NON DROP FRAME') dropFrame = false;
      else throw new InterchangeError(`EDL line ${line}: unknown FCM "${fcm[1]!.trim()}"`);
      if (!document.events.length) document.dropFrame = dropFrame;
      return;
    }
    if (trimmed.startsWith('*')) {
      const comment = trimmed.slice(1).trim();
      if (!event) {
        document.comments.push(comment);
        return;
      }
      readComment(event, comment, line);
      return;
    }
    const tokens = trimmed.split(/\s+/);
    if (/^M2$/i.test(tokens[0]!)) {
      if (!event) throw new InterchangeError(`EDL line ${line}: M2 before any event`);
      const [, reel, fps, sourceIn] = tokens;
      const speed = Number(fps);
      if (tokens.length !== 4 || !Number.isFinite(speed) || !TIMECODE.test(sourceIn ?? ''))
        throw new InterchangeError(`EDL line ${line}: M2 must read "M2 <reel> <fps> <source in>"`);
      event.speeds.push({ reel: reel!, fps: speed, sourceIn: checkTimecode(sourceIn!, line) });
      return;
    }
    if (/^\d+$/.test(tokens[0]!) && tokens.length >= 8) {
      const times = tokens.slice(-4);
      if (!times.every((t) => TIMECODE.test(t)))
        throw new InterchangeError(`EDL line ${line}: an event line ends with four timecodes`);
      const [number, reel, track] = tokens as [string, string, string];
      const [sourceIn, sourceOut, recordIn, recordOut] = times.map((t) => checkTimecode(t, line)) as [
        string,
        string,
        string,
        string,
      ];
      const edit: EdlEdit = {
        reel,
        track,
        transition: parseTransition(tokens.slice(3, -4), line),
        sourceIn,
        sourceOut,
        recordIn,
        recordOut,
      };
      const df = dropFrame ?? false;
      const rate = counting(df, line);
      if (rate) {
        edit.frames = {
          sourceIn: frames(sourceIn, rate, line),
          sourceOut: frames(sourceOut, rate, line),
          recordIn: frames(recordIn, rate, line),
          recordOut: frames(recordOut, rate, line),
        };
      }
      // A transition's second line repeats the event number of its outgoing cut.
      if (event && event.number === number && event.edits.length === 1 && edit.transition.type !== 'cut') {
        event.edits.push(edit);
        return;
      }
      event = { number, dropFrame: df, edits: [edit], speeds: [], markers: [], comments: [] };
      document.events.push(event);
      return;
    }
    throw new InterchangeError(`EDL line ${line}: not an EDL line: "${trimmed.slice(0, 80)}"`);
  });
  if (document.events.length === 0 && document.title === undefined)
    throw new InterchangeError('not a CMX 3600 EDL: no TITLE and no events');
  return document;
}

function readComment(event: EdlEvent, comment: string, line: number): void {
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'i').exec(comment)?.[1]!.trim();
  const from = field('FROM CLIP NAME');
  if (from !== undefined) {
    event.clipName = from;
    return;
  }
  const to = field('TO CLIP NAME');
  if (to !== undefined) {
    event.toClipName = to;
    return;
  }
  const sourceFile = field('SOURCE FILE');
  if (sourceFile !== undefined) {
    event.sourceFile = sourceFile;
    return;
  }
  const fromClip = field('FROM CLIP');
  if (fromClip !== undefined) {
    event.fromClip = fromClip;
    return;
  }
  const loc = field('LOC');
  if (loc !== undefined) {
    const [timecode = '', ...rest] = loc.split(/\s+/);
    if (!TIMECODE.test(timecode)) throw new InterchangeError(`EDL line ${line}: LOC without a timecode`);
    const marker: EdlMarker = { timecode: checkTimecode(timecode, line), comment: '' };
    if (rest[0] && LOC_COLORS.has(rest[0].toUpperCase())) marker.color = rest.shift()!.toUpperCase();
    marker.comment = rest.join(' ');
    event.markers.push(marker);
    return;
  }
  // `ASC_SOP (..)(..)(..)`, `ASC_SOP: (..)`, `ASC_SAT 0.9`, `ASC_SAT: 0.9`.
  const asc = /^ASC_(SOP|SAT)\b\s*:?\s*(.*)$/i.exec(comment);
  if (asc) {
    event.cdl ??= {};
    if (asc[1]!.toUpperCase() === 'SOP') Object.assign(event.cdl, parseSop(asc[2]!, line));
    else event.cdl.saturation = parseSat(asc[2]!, line);
    return;
  }
  event.comments.push(comment);
}

/** Content sniffing for `read`: a TITLE line or an event line near the top. */
export function looksLikeEdl(text: string): boolean {
  const head = text.replace(/^\ufeff/, '').slice(0, 4000);
  return (
    /^\s*TITLE:/im.test(head) ||
    /^\s*\d{3,6}\s+\S+\s+\S+\s+\S+.*\d{2}[:;]\d{2}[:;]\d{2}[:;]\d{2}\s*$/m.test(head)
  );
}
