/**
 * A roll as an editor's log (pure): ALE with the columns Media Composer maps on import (Name,
 * Tracks, Start, End, Tape, Source File, FPS, …, ASC_SOP, ASC_SAT), and the same rows as CSV.
 *
 * An ALE has one frame rate (its FPS heading): a roll shot at several rates gives one ALE per
 * rate, and asking for the whole roll in one is refused naming the rates. A clip without a start
 * timecode or a rate (failed verification, a still) is left out of the ALE, which Media
 * Composer would refuse; the CSV lists every clip.
 */
import { decideColor } from '@rushes/schema/color';
import type { NormalizedClipMetadata } from '@rushes/schema/metadata';
import type { ColorPipelineSettings } from '@rushes/schema/render-settings';
import { writeAle, writeCsv } from '@rushes/engine/sidecar';
import { frameRate, Timecode, type FrameRate } from '@rushes/timecode';

export interface ExportClip {
  fileName: string;
  originalPath: string;
  reel: string | null;
  startFrame: number | null;
  durationFrames: number | null;
  fpsNum: number | null;
  fpsDen: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
  camera: string | null;
  colorSpace: string | null;
  checksums: Record<string, string>;
  metadata: Record<string, unknown> | null;
}

export const EXPORT_COLUMNS = [
  'Name',
  'Tracks',
  'Start',
  'End',
  'Duration',
  'Tape',
  'Source File',
  'Source Path',
  'FPS',
  'Camera',
  'Camera Serial',
  'Scene',
  'Take',
  'Lens',
  'ISO',
  'Shutter',
  'White Balance',
  'Color Space',
  'Resolution',
  'Codec',
  'Audio Channels',
  'ASC_SOP',
  'ASC_SAT',
  'Checksum',
] as const;

type Row = Record<(typeof EXPORT_COLUMNS)[number], string>;

const fmt = (n: number) => String(Number(n.toFixed(6)));

/** Pure: `(s s s)(o o o)(p p p)` and the saturation of a look (the clip's, from decideColor), if any. */
export function ascCells(color: ColorPipelineSettings): { sop: string; sat: string } {
  const look = color.look;
  if (!look) return { sop: '', sat: '' };
  const triple = (t: readonly number[]) => `(${t.map(fmt).join(' ')})`;
  return {
    sop: `${triple(look.slope)}${triple(look.offset)}${triple(look.power)}`,
    sat: fmt(look.saturation),
  };
}

/** Pure: "23.976", "25", "29.97" — the FPS cell Avid expects. */
export function fpsCell(num: number | null, den: number | null): string {
  if (!num || !den) return '';
  return fmt(Math.round((num / den) * 1000) / 1000);
}

/** Pure: the Avid Tracks cell: V for picture, A1…An for sound channels (e.g. VA1A2). */
export function tracksCell(hasPicture: boolean, audioChannels: number): string {
  const audio = Array.from({ length: Math.min(audioChannels, 24) }, (_, i) => `A${i + 1}`).join('');
  return `${hasPicture ? 'V' : ''}${audio}`;
}

function timecodeCell(frames: number | null, rate: FrameRate | undefined): string {
  return frames == null || !rate ? '' : Timecode.fromFrames(frames, rate).toString();
}

export function exportRow(clip: ExportClip, color: ColorPipelineSettings): Row {
  const m = (clip.metadata ?? {}) as Partial<NormalizedClipMetadata>;
  const value = <T>(sourced: { value: T } | undefined) => sourced?.value;
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const drop = value(m.time?.dropFrame) ?? false;
  const rate = clip.fpsNum && clip.fpsDen ? frameRate(clip.fpsNum, clip.fpsDen, drop) : undefined;
  const end =
    clip.startFrame != null && clip.durationFrames != null ? clip.startFrame + clip.durationFrames : null;
  const shutter = value(m.exposure?.shutterAngleDeg);
  const shutterSpeed = value(m.exposure?.shutterSpeedS);
  // The colour policy's answer, the same the renders get (a clip's look, else the production's).
  const decision = decideColor({ camera: m.color, production: color });
  const { sop, sat } = ascCells({ look: decision.look ?? undefined });
  const name = clip.fileName.replace(/\.[^.]+$/, '');
  return {
    Name: value(m.identity?.clipName) ?? name,
    Tracks: tracksCell(clip.width != null, value(m.audio?.channels) ?? 0),
    Start: timecodeCell(clip.startFrame, rate),
    End: timecodeCell(end, rate),
    Duration: timecodeCell(clip.durationFrames, rate),
    // The reel (a sound roll's tape), never made up from the file name.
    Tape: clip.reel ?? value(m.audio?.tape) ?? '',
    'Source File': clip.fileName,
    'Source Path': clip.originalPath,
    FPS: fpsCell(clip.fpsNum, clip.fpsDen),
    Camera: text(clip.camera ?? value(m.identity?.cameraUnit)),
    'Camera Serial': text(value(m.camera?.serial)),
    Scene: text(value(m.identity?.scene) ?? value(m.audio?.scene)),
    Take: text(value(m.identity?.take) ?? value(m.audio?.take)),
    Lens: text(value(m.lens?.model)),
    ISO: text(value(m.exposure?.exposureIndex)),
    Shutter:
      shutter !== undefined ? `${fmt(shutter)}°` : shutterSpeed ? `1/${Math.round(1 / shutterSpeed)}` : '',
    'White Balance': text(value(m.exposure?.whiteBalanceK)),
    'Color Space': text(decision.input ?? clip.colorSpace),
    Resolution: clip.width && clip.height ? `${clip.width}x${clip.height}` : '',
    Codec: text(clip.codec),
    'Audio Channels': text(value(m.audio?.channels)),
    ASC_SOP: sop,
    ASC_SAT: sat,
    Checksum: Object.entries(clip.checksums)
      .map(([algorithm, digest]) => `${algorithm}:${digest}`)
      .join(' '),
  };
}

const isDropFrame = (clip: ExportClip) =>
  ((clip.metadata as Partial<NormalizedClipMetadata> | null)?.time?.dropFrame?.value ?? false) === true;

/**
 * Pure: the rate an ALE of this clip is written at — `23.976`, `25`, `29.97DF` — or undefined
 * for a clip an ALE cannot hold (no start timecode or no rate).
 */
export function aleRate(clip: ExportClip): string | undefined {
  if (clip.startFrame == null || !clip.fpsNum || !clip.fpsDen) return undefined;
  return `${fpsCell(clip.fpsNum, clip.fpsDen)}${isDropFrame(clip) ? 'DF' : ''}`;
}

/** Pure: the ALE rates of a roll's clips and how many clips each, in the order first met. */
export function aleRates(clips: readonly ExportClip[]): { rate: string; clips: number }[] {
  const counts = new Map<string, number>();
  for (const clip of clips) {
    const rate = aleRate(clip);
    if (rate) counts.set(rate, (counts.get(rate) ?? 0) + 1);
  }
  return [...counts].map(([rate, n]) => ({ rate, clips: n }));
}

/** A roll's ALE cannot be written as asked (the api answers 409 with the message). */
export class AleRateError extends Error {
  override name = 'AleRateError';
}

/**
 * Pure: the ALE of the roll's clips at `rate` (see aleRate), or — without `rate` — of all of
 * them when they share one. An AleRateError names the rates when the roll has several and none
 * was chosen, or when no clip is at the rate asked for.
 */
export function rollAle(clips: ExportClip[], color: ColorPipelineSettings, rate?: string): string {
  const rates = aleRates(clips);
  const described = rates.map((r) => `${r.rate} (${r.clips} ${r.clips === 1 ? 'clip' : 'clips'})`).join(', ');
  if (rate === undefined && rates.length > 1) {
    throw new AleRateError(
      `This roll has clips at ${rates.length} frame rates — ${described} — and an ALE holds one: export one ALE per rate.`,
    );
  }
  if (rates.length === 0) {
    throw new AleRateError(
      'No clip of this roll has both a start timecode and a frame rate, which every ALE row needs; the CSV lists them all.',
    );
  }
  const chosen = rate ?? rates[0]!.rate;
  if (rate !== undefined && !rates.some((r) => r.rate === rate)) {
    throw new AleRateError(
      `No clip of this roll is at ${rate}${rates.length ? `; its rates: ${described}` : ''}.`,
    );
  }
  const included = clips.filter((c) => aleRate(c) === chosen);
  const first = included.find((c) => c.width && c.height);
  const sample = included[0];
  const heading: Record<string, string> = {
    FIELD_DELIM: 'TABS',
    VIDEO_FORMAT: first?.height === 1080 ? '1080' : first?.height === 720 ? '720' : 'CUSTOM',
    AUDIO_FORMAT: '48khz',
    FPS: fpsCell(sample!.fpsNum, sample!.fpsDen),
  };
  return writeAle({ heading, columns: [...EXPORT_COLUMNS], rows: included.map((c) => exportRow(c, color)) });
}

/**
 * Pure: a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading
 * apostrophe, so a hostile file name stays text (OWASP "CSV injection").
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function rollCsv(clips: ExportClip[], color: ColorPipelineSettings): string {
  const rows = clips.map((c) =>
    Object.fromEntries(Object.entries(exportRow(c, color)).map(([k, v]) => [k, spreadsheetSafe(v)])),
  );
  return writeCsv(EXPORT_COLUMNS, rows);
}
