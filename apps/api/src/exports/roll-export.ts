/**
 * A roll as an editor's log (pure): ALE with the columns Media Composer maps on import (Name,
 * Tracks, Start, End, Tape, Source File, FPS, …, ASC_SOP, ASC_SAT), and the same rows as CSV.
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
    Tape: clip.reel ?? value(m.audio?.tape) ?? name,
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

export function rollAle(
  clips: ExportClip[],
  color: ColorPipelineSettings,
  production: { fpsNum: number; fpsDen: number },
): string {
  const first = clips.find((c) => c.width && c.height);
  const heading: Record<string, string> = {
    FIELD_DELIM: 'TABS',
    VIDEO_FORMAT: first?.height === 1080 ? '1080' : first?.height === 720 ? '720' : 'CUSTOM',
    AUDIO_FORMAT: '48khz',
    FPS: fpsCell(first?.fpsNum ?? production.fpsNum, first?.fpsDen ?? production.fpsDen),
  };
  return writeAle({ heading, columns: [...EXPORT_COLUMNS], rows: clips.map((c) => exportRow(c, color)) });
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
