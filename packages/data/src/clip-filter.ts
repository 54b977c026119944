/**
 * Clip filters and sorts as SQL (pure: input → drizzle SQL, no database; ./clips.ts runs them). Typed columns are
 * used where the clip row has them; camera make/model/serial and lens are read from the
 * normalized document. Timecodes are compared in frames at each clip's own rate.
 */
import { clips } from '@rushes/schema/tables';
import {
  frameRate,
  framesFromFields,
  parseTimecodeFields,
  TimecodeError,
  type FrameRate,
  type TimecodeFields,
} from '@rushes/timecode';
import { and, asc, desc, eq, gte, ilike, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
/** A filter value that cannot be used (the api answers BAD_USER_INPUT naming `field`). */
export class FilterError extends Error {
  override name = 'FilterError';
  /** The filter field at fault. */
  readonly field: string;
  // No parameter property: the worker runs from source under Node's type stripping.
  constructor(message: string, field: string) {
    super(message);
    this.field = field;
  }
}

export interface ClipFilterValues {
  rollIds?: string[] | null;
  reel?: string | null;
  cameraMake?: string | null;
  cameraModel?: string | null;
  cameraSerial?: string | null;
  lens?: string | null;
  codec?: string | null;
  width?: number | null;
  height?: number | null;
  frameRate?: number | null;
  colorSpace?: string | null;
  states?: string[] | null;
  recordedFrom?: Date | null;
  recordedTo?: Date | null;
  timecode?: string | null;
  timecodeFrom?: string | null;
  timecodeTo?: string | null;
  text?: string | null;
}

export type ClipSortField =
  'NAME' | 'RECORDED_AT' | 'START_TIMECODE' | 'CREATED_AT' | 'SIZE' | 'REEL' | 'DURATION';

export type TimecodeParts = TimecodeFields;

/** Pure: `HH:MM:SS:FF` (or `;` / `.` before the frames) into its parts; a FilterError otherwise. */
export function parseTimecodeParts(text: string, field: string): TimecodeParts {
  try {
    const { hours, minutes, seconds, frames } = parseTimecodeFields(text);
    return { hours, minutes, seconds, frames };
  } catch (error) {
    if (!(error instanceof TimecodeError)) throw error;
    throw new FilterError(`"${text}" is not a timecode: use HH:MM:SS:FF, e.g. 14:03:10:00.`, field);
  }
}

const document = (group: string, field: string) =>
  sql`(${clips.metadata} -> ${group} -> ${field} ->> 'value')`;
const dropFrame = sql`coalesce((${clips.metadata} -> 'time' -> 'dropFrame' ->> 'value')::boolean, false)`;
const nominal = sql`round(${clips.fpsNum}::numeric / ${clips.fpsDen})::int`;

/** Timecode filters match clips of 1 to this many frames per timecode second. */
const MAX_NOMINAL_FPS = 300;

function framesAt(tc: TimecodeParts, rate: FrameRate): number | null {
  try {
    return framesFromFields(tc, rate);
  } catch (error) {
    if (error instanceof TimecodeError) return null; // no such label at this rate: no match
    throw error;
  }
}

/** A PostgreSQL array literal, indexed from 1 like the nominal rates. */
const pgArray = (values: (number | null)[]) => `{${values.map((v) => v ?? 'NULL').join(',')}}`;

/**
 * The timecode as a frame count at each clip's rate — the same count the worker stores as
 * `start_frame`. @rushes/timecode counts it for every nominal rate, non-drop-frame and
 * drop-frame (29.97, 59.94); each row picks its rate's count (NULL where its rate has no such
 * label, e.g. 00:01:00;00 in drop-frame).
 */
export function timecodeFrames(tc: TimecodeParts): SQL {
  const byRate = (rate: (fps: number) => FrameRate | undefined) =>
    pgArray(
      Array.from({ length: MAX_NOMINAL_FPS }, (_, i) => {
        const r = rate(i + 1);
        return r ? framesAt(tc, r) : null;
      }),
    );
  const nonDrop = byRate((fps) => frameRate(fps, 1));
  const drop = byRate((fps) => (fps === 30 || fps === 60 ? frameRate(fps * 1000, 1001, true) : undefined));
  return sql`(case when ${dropFrame} then (${drop}::bigint[])[${nominal}]
    else (${nonDrop}::bigint[])[${nominal}] end)`;
}

const clipEnd = sql`(${clips.startFrame} + ${clips.durationFrames})`;
const equalsIgnoringCase = (column: SQL | AnyPgColumn, value: string) =>
  sql`lower(${column}) = lower(${value})`;

/** Pure: the WHERE conditions of a filter (ANDed); `rollDbIds` already decoded and checked. */
export function clipConditions(filter: ClipFilterValues, rollDbIds: string[] | undefined): SQL[] {
  const where: SQL[] = [];
  if (rollDbIds) where.push(inArray(clips.rollId, rollDbIds));
  if (filter.reel) where.push(equalsIgnoringCase(clips.reel, filter.reel));
  if (filter.cameraMake) where.push(equalsIgnoringCase(document('camera', 'make'), filter.cameraMake));
  if (filter.cameraModel) where.push(equalsIgnoringCase(document('camera', 'model'), filter.cameraModel));
  if (filter.cameraSerial) where.push(equalsIgnoringCase(document('camera', 'serial'), filter.cameraSerial));
  if (filter.lens) where.push(sql`${document('lens', 'model')} ilike ${`%${escapeLike(filter.lens)}%`}`);
  if (filter.codec) where.push(equalsIgnoringCase(clips.codec, filter.codec));
  if (filter.width != null) where.push(eq(clips.width, filter.width));
  if (filter.height != null) where.push(eq(clips.height, filter.height));
  if (filter.frameRate != null) {
    where.push(sql`abs(${clips.fpsNum}::float8 / ${clips.fpsDen} - ${filter.frameRate}) < 0.01`);
  }
  if (filter.colorSpace) {
    where.push(
      or(
        equalsIgnoringCase(clips.colorSpace, filter.colorSpace),
        equalsIgnoringCase(document('color', 'acesInputTransform'), filter.colorSpace),
        equalsIgnoringCase(document('color', 'gamut'), filter.colorSpace),
        equalsIgnoringCase(document('color', 'transfer'), filter.colorSpace),
      )!,
    );
  }
  if (filter.states?.length) where.push(inArray(clips.state, filter.states as never[]));
  if (filter.recordedFrom) where.push(gte(clips.recordedAt, filter.recordedFrom));
  if (filter.recordedTo) where.push(lte(clips.recordedAt, filter.recordedTo));
  if (filter.timecode) {
    const at = timecodeFrames(parseTimecodeParts(filter.timecode, 'timecode'));
    where.push(sql`${clips.startFrame} <= ${at} and ${at} < ${clipEnd}`);
  }
  if (filter.timecodeFrom || filter.timecodeTo) {
    if (!filter.timecodeFrom || !filter.timecodeTo) {
      throw new FilterError(
        'Give both timecodeFrom and timecodeTo for a range.',
        filter.timecodeFrom ? 'timecodeTo' : 'timecodeFrom',
      );
    }
    const from = timecodeFrames(parseTimecodeParts(filter.timecodeFrom, 'timecodeFrom'));
    const to = timecodeFrames(parseTimecodeParts(filter.timecodeTo, 'timecodeTo'));
    where.push(sql`${clips.startFrame} <= ${to} and ${clipEnd} > ${from}`);
  }
  if (filter.text?.trim()) {
    const pattern = `%${escapeLike(filter.text.trim())}%`;
    where.push(
      or(ilike(clips.fileName, pattern), ilike(clips.originalPath, pattern), ilike(clips.reel, pattern))!,
    );
  }
  return where;
}

/** Pure: `%`, `_` and `\` in user text match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

const SORT_COLUMNS = {
  NAME: clips.fileName,
  RECORDED_AT: clips.recordedAt,
  START_TIMECODE: clips.startFrame,
  CREATED_AT: clips.createdAt,
  SIZE: clips.sizeBytes,
  REEL: clips.reel,
  DURATION: clips.durationFrames,
} as const;

/** Pure: ORDER BY for a sort, with the path and id as tie-breakers so pages are stable. */
export function clipOrder(field: ClipSortField, direction: 'ASC' | 'DESC'): SQL[] {
  const by = direction === 'ASC' ? asc : desc;
  const column = SORT_COLUMNS[field];
  // Nulls last either way: clips not yet probed sort after those that were.
  const primary = sql`${column} ${sql.raw(direction === 'ASC' ? 'asc' : 'desc')} nulls last`;
  return [primary, by(clips.originalPath), by(clips.id)];
}

export const andAll = (conditions: SQL[]) => (conditions.length ? and(...conditions) : undefined);
