/**
 * Clip filters and sorts as SQL (pure: input → drizzle SQL, no database). Typed columns are
 * used where the clip row has them; camera make/model/serial and lens are read from the
 * normalized document. Timecodes are compared in frames at each clip's own rate.
 */
import { clips } from '@rushes/schema/tables';
import { and, asc, desc, eq, gte, ilike, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { GraphQLError } from 'graphql';

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

export interface TimecodeParts {
  hours: number;
  minutes: number;
  seconds: number;
  frames: number;
}

/** Pure: `HH:MM:SS:FF` (or `;` / `.` before the frames) into its parts; BAD_USER_INPUT otherwise. */
export function parseTimecodeParts(text: string, field: string): TimecodeParts {
  const match = /^(\d{1,2}):(\d{2}):(\d{2})[:;.,](\d{2,3})$/.exec(text.trim());
  const parts = match && {
    hours: Number(match[1]),
    minutes: Number(match[2]),
    seconds: Number(match[3]),
    frames: Number(match[4]),
  };
  if (!parts || parts.hours > 23 || parts.minutes > 59 || parts.seconds > 59) {
    throw new GraphQLError(`"${text}" is not a timecode: use HH:MM:SS:FF, e.g. 14:03:10:00.`, {
      extensions: { code: 'BAD_USER_INPUT', field },
    });
  }
  return parts;
}

const document = (group: string, field: string) =>
  sql`(${clips.metadata} -> ${group} -> ${field} ->> 'value')`;
const dropFrame = sql`coalesce((${clips.metadata} -> 'time' -> 'dropFrame' ->> 'value')::boolean, false)`;
const nominal = sql`round(${clips.fpsNum}::numeric / ${clips.fpsDen})`;

/**
 * The timecode as a frame count at the clip's rate — the same count the worker stores as
 * `start_frame` (drop-frame skips 2 frame numbers a minute at 30, 4 at 60, but not every 10th).
 */
export function timecodeFrames(tc: TimecodeParts): SQL {
  const { hours, minutes, seconds, frames } = tc;
  const totalMinutes = hours * 60 + minutes;
  const skipped = totalMinutes - Math.floor(totalMinutes / 10);
  return sql`(${hours * 3600 + minutes * 60 + seconds} * ${nominal} + ${frames}
    - case when ${dropFrame} then (${nominal} / 15) * ${skipped} else 0 end)`;
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
      throw new GraphQLError('Give both timecodeFrom and timecodeTo for a range.', {
        extensions: { code: 'BAD_USER_INPUT', field: filter.timecodeFrom ? 'timecodeTo' : 'timecodeFrom' },
      });
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
