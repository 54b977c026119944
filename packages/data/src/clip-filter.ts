/**
 * Clip filters, sorts and page cursors as SQL (pure: input → drizzle SQL, no database; ./clips.ts
 * runs them). Each filter is written the way an index of the clips table (packages/schema
 * tables/media.ts) answers it — the same expression, case-folded the same way — so a million-clip
 * production is never read row by row (packages/data/test/scale.heavy.test.ts checks the plans). Timecodes
 * are compared in frames at each clip's own rate, after a coarse index range narrows the rows.
 */
import { clips } from '@rushes/schema/tables';
import {
  frameRate,
  nominalFps,
  framesFromFields,
  parseTimecodeFields,
  TimecodeError,
  type FrameRate,
  type TimecodeFields,
} from '@rushes/timecode';
import { and, eq, gte, ilike, inArray, lte, sql, type SQL } from 'drizzle-orm';
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

/** The sorts the api offers (each has its keyset index, packages/schema tables/media.ts). */
export const CLIP_SORT_FIELDS = [
  'NAME',
  'RECORDED_AT',
  'START_TIMECODE',
  'CREATED_AT',
  'SIZE',
  'REEL',
  'DURATION',
] as const;

export type ClipSortField = (typeof CLIP_SORT_FIELDS)[number];

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

const dropFrame = clips.dropFrame;
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

/** Rates whose frame count of a label is not label-seconds × rate + frames: the drop-frame ones. */
const DROP_FRAME_RATES = [frameRate(30_000, 1001, true), frameRate(60_000, 1001, true)];

/**
 * Pure: the whole seconds of `timecode_seconds` (start frame ÷ nominal rate, see the clips table)
 * a label can fall in, whatever the clip's rate: its own second at a non-drop-frame rate, down to
 * 3.6 s an hour earlier at a drop-frame one (the dropped labels). A GiST range on this narrows
 * a timecode filter to a few clips; the exact frame comparison then decides.
 */
export function timecodeSecondsBounds(tc: TimecodeParts): { low: number; high: number } {
  const labelSeconds = (tc.hours * 60 + tc.minutes) * 60 + tc.seconds;
  let low = labelSeconds;
  for (const rate of DROP_FRAME_RATES) {
    const frames = framesAt(tc, rate);
    if (frames !== null) low = Math.min(low, Math.floor(frames / nominalFps(rate)));
  }
  return { low, high: labelSeconds };
}

const secondsOverlap = (from: TimecodeParts, to: TimecodeParts) =>
  sql`${clips.timecodeSeconds} && int8range(${timecodeSecondsBounds(from).low}::int8, ${timecodeSecondsBounds(to).high}::int8, '[]')`;

/** Pure: the WHERE conditions of a filter (ANDed); `rollDbIds` already decoded and checked. */
export function clipConditions(filter: ClipFilterValues, rollDbIds: string[] | undefined): SQL[] {
  const where: SQL[] = [];
  if (rollDbIds) where.push(inArray(clips.rollId, rollDbIds));
  if (filter.reel) where.push(equalsIgnoringCase(clips.reel, filter.reel));
  if (filter.cameraMake) where.push(equalsIgnoringCase(clips.cameraMake, filter.cameraMake));
  if (filter.cameraModel) where.push(equalsIgnoringCase(clips.cameraModel, filter.cameraModel));
  if (filter.cameraSerial) where.push(equalsIgnoringCase(clips.cameraSerial, filter.cameraSerial));
  if (filter.lens) where.push(ilike(clips.lensModel, `%${escapeLike(filter.lens)}%`));
  if (filter.codec) where.push(equalsIgnoringCase(clips.codec, filter.codec));
  if (filter.width != null) where.push(eq(clips.width, filter.width));
  if (filter.height != null) where.push(eq(clips.height, filter.height));
  if (filter.frameRate != null) {
    where.push(sql`${clips.fps} > ${filter.frameRate - 0.01} and ${clips.fps} < ${filter.frameRate + 0.01}`);
  }
  if (filter.colorSpace) {
    where.push(sql`${clips.colorTerms} @> array[lower(${filter.colorSpace})]`);
  }
  if (filter.states?.length) where.push(inArray(clips.state, filter.states as never[]));
  if (filter.recordedFrom) where.push(gte(clips.recordedAt, filter.recordedFrom));
  if (filter.recordedTo) where.push(lte(clips.recordedAt, filter.recordedTo));
  if (filter.timecode) {
    const tc = parseTimecodeParts(filter.timecode, 'timecode');
    const at = timecodeFrames(tc);
    where.push(secondsOverlap(tc, tc), sql`${clips.startFrame} <= ${at} and ${at} < ${clipEnd}`);
  }
  if (filter.timecodeFrom || filter.timecodeTo) {
    if (!filter.timecodeFrom || !filter.timecodeTo) {
      throw new FilterError(
        'Give both timecodeFrom and timecodeTo for a range.',
        filter.timecodeFrom ? 'timecodeTo' : 'timecodeFrom',
      );
    }
    const fromTc = parseTimecodeParts(filter.timecodeFrom, 'timecodeFrom');
    const toTc = parseTimecodeParts(filter.timecodeTo, 'timecodeTo');
    if (compareLabels(fromTc, toTc) > 0) {
      throw new FilterError(
        `timecodeTo ${filter.timecodeTo} is before timecodeFrom ${filter.timecodeFrom}; a range past midnight is two ranges.`,
        'timecodeTo',
      );
    }
    const from = timecodeFrames(fromTc);
    const to = timecodeFrames(toTc);
    where.push(secondsOverlap(fromTc, toTc), sql`${clips.startFrame} <= ${to} and ${clipEnd} > ${from}`);
  }
  if (filter.text?.trim()) {
    where.push(ilike(clips.searchText, `%${escapeLike(filter.text.trim())}%`));
  }
  return where;
}

const compareLabels = (a: TimecodeParts, b: TimecodeParts) =>
  a.hours - b.hours || a.minutes - b.minutes || a.seconds - b.seconds || a.frames - b.frames;

/** Pure: `%`, `_` and `\` in user text match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Each sort's column, its SQL type (a cursor's key is cast back to it) and whether it can be empty. */
const SORT_COLUMNS = {
  NAME: { column: clips.fileName, type: 'text', nullable: false },
  RECORDED_AT: { column: clips.recordedAt, type: 'timestamptz', nullable: true },
  START_TIMECODE: { column: clips.startFrame, type: 'int8', nullable: true },
  CREATED_AT: { column: clips.createdAt, type: 'timestamptz', nullable: false },
  SIZE: { column: clips.sizeBytes, type: 'int8', nullable: true },
  REEL: { column: clips.reel, type: 'text', nullable: true },
  DURATION: { column: clips.durationFrames, type: 'int4', nullable: true },
} as const satisfies Record<ClipSortField, { column: AnyPgColumn; type: string; nullable: boolean }>;

export interface ClipOrderBy {
  field: ClipSortField;
  direction: 'ASC' | 'DESC';
}

/**
 * Where a page starts: after the row with these keys. `key` is the sort column's value as
 * PostgreSQL writes it as text (timestamps keep their microseconds), null for a clip without one.
 */
export interface ClipCursor extends ClipOrderBy {
  key: string | null;
  path: string;
  id: string;
}

/** The sort column's value as text, selected with each row to make its cursor. */
export const sortKeyOf = (field: ClipSortField) => sql<string | null>`${SORT_COLUMNS[field].column}::text`;

const CURSOR_PREFIX = 'k1:';

/** Pure: the opaque cursor the api gives out for a row. */
export function encodeClipCursor(cursor: ClipCursor): string {
  const { field, direction, key, path, id } = cursor;
  return CURSOR_PREFIX + Buffer.from(JSON.stringify([field, direction, key, path, id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What PostgreSQL writes for each sort type as text: a key of another shape was not given out. */
const KEY_SHAPES = {
  text: /^/,
  int8: /^-?\d{1,19}$/,
  int4: /^-?\d{1,10}$/,
  timestamptz: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/,
} as const;

/**
 * Pure: a cursor given out for `order`; a FilterError on `after` for anything else — a cursor
 * of another sort would start the page at a meaningless place.
 */
export function decodeClipCursor(text: string, order: ClipOrderBy): ClipCursor {
  const invalid = new FilterError('after is not a cursor this api gave out.', 'after');
  if (!text.startsWith(CURSOR_PREFIX)) throw invalid;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text.slice(CURSOR_PREFIX.length), 'base64url').toString());
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parts) || parts.length !== 5) throw invalid;
  const [field, direction, key, path, id] = parts as unknown[];
  if (
    !(typeof field === 'string' && field in SORT_COLUMNS) ||
    (direction !== 'ASC' && direction !== 'DESC') ||
    !(key === null || typeof key === 'string') ||
    typeof path !== 'string' ||
    typeof id !== 'string' ||
    !UUID.test(id)
  ) {
    throw invalid;
  }
  if (field !== order.field || direction !== order.direction) {
    throw new FilterError(
      `after is a cursor of the ${field} ${direction} order; ask with that orderBy, or start again without after.`,
      'after',
    );
  }
  const column = SORT_COLUMNS[field as ClipSortField];
  if (key === null ? !column.nullable : !KEY_SHAPES[column.type].test(key)) throw invalid;
  return { field: field as ClipSortField, direction, key, path, id };
}

/** One ordered scan of a page: its extra conditions and its ORDER BY. */
export interface KeysetSegment {
  where: SQL[];
  orderBy: SQL[];
}

/**
 * Pure: the scans that make a page after `after` (keyset pagination: no OFFSET, so page 5,000
 * costs what page 1 does). Clips with the sort column set come first, in the keyset index's
 * order (forward for ASC, backward for DESC); clips without it (not yet probed) follow, by path
 * and id. Each scan reads what the page still lacks, so the second runs only at the boundary.
 */
export function keysetSegments(order: ClipOrderBy, after?: ClipCursor): KeysetSegment[] {
  const { column, type, nullable } = SORT_COLUMNS[order.field];
  const dir = sql.raw(order.direction === 'ASC' ? 'asc' : 'desc');
  const beyond = sql.raw(order.direction === 'ASC' ? '>' : '<');
  const tieBreak = [sql`${clips.originalPath} ${dir}`, sql`${clips.id} ${dir}`];
  const afterTie =
    after && sql`(${clips.originalPath}, ${clips.id}) ${beyond} (${after.path}, ${after.id}::uuid)`;
  const empties: KeysetSegment = {
    where: [sql`${column} is null`, ...(afterTie && after?.key === null ? [afterTie] : [])],
    orderBy: tieBreak,
  };
  if (after?.key === null) return [empties];
  const valued: KeysetSegment = {
    where: [
      after
        ? sql`(${column}, ${clips.originalPath}, ${clips.id}) ${beyond} (${after.key}::${sql.raw(type)}, ${after.path}, ${after.id}::uuid)`
        : sql`${column} is not null`,
    ],
    orderBy: [sql`${column} ${dir}`, ...tieBreak],
  };
  return nullable ? [valued, empties] : [valued];
}

export const andAll = (conditions: SQL[]) => (conditions.length ? and(...conditions) : undefined);
