/**
 * Clips: every query on the `clips` table the api and the worker make. Rows are returned as
 * `ClipRow` (all columns but `raw`); jsonb documents are parsed where they are used
 * (./documents.ts). Functions take the handle to work through (the pool or a transaction).
 */
import type { NormalizedClipMetadata } from '@rushes/schema/metadata';
import { clips, productions, renditions } from '@rushes/schema/tables';
import {
  and,
  asc,
  eq,
  getTableColumns,
  ilike,
  inArray,
  or,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import {
  andAll,
  clipConditions,
  decodeClipCursor,
  encodeClipCursor,
  keysetSegments,
  sortKeyOf,
  type ClipFilterValues,
  type ClipOrderBy,
  type KeysetSegment,
} from './clip-filter.ts';
import { splitCondition, splitOf, splitValuesQuery, usableSplit, type ClipSplit } from './clip-split.ts';
import type { Database } from './db.ts';
import { unionAll } from 'drizzle-orm/pg-core';

/**
 * The clip columns the apps read: all but `raw`, the tools' full output (tens of kilobytes a
 * clip), which nothing reads back — a page of 100 clips would otherwise drag megabytes along —
 * and the columns PostgreSQL generates for filters and search.
 */
const {
  raw: _raw,
  cameraMake: _make,
  cameraModel: _model,
  cameraSerial: _serial,
  lensModel: _lens,
  fps: _fps,
  colorTerms: _colorTerms,
  timecodeSeconds: _timecodeSeconds,
  searchText: _searchText,
  recordedDay: _recordedDay,
  dropFrame: _dropFrame,
  ...listedColumns
} = getTableColumns(clips);
export const clipColumns = listedColumns;
export type ClipRow = Pick<typeof clips.$inferSelect, keyof typeof listedColumns>;
export type ProductionRow = typeof productions.$inferSelect;

/** A page of a listing: `limit` rows from `offset`. */
export interface PageWindow {
  offset: number;
  limit: number;
}

/** The clip, or undefined. */
export async function findClip(db: Database, id: string): Promise<ClipRow | undefined> {
  const [row] = await db.select(clipColumns).from(clips).where(eq(clips.id, id));
  return row;
}

/** The clips of these ids that exist (any order). */
export async function findClips(db: Database, ids: readonly string[]): Promise<ClipRow[]> {
  if (ids.length === 0) return [];
  return db
    .select(clipColumns)
    .from(clips)
    .where(inArray(clips.id, [...ids]));
}

/** The clip with its production (its settings decide how it is rendered), or undefined. */
export async function findClipWithProduction(
  db: Database,
  id: string,
): Promise<{ clip: ClipRow; production: ProductionRow } | undefined> {
  const [row] = await db
    .select({ clip: clipColumns, production: productions })
    .from(clips)
    .innerJoin(productions, eq(productions.id, clips.productionId))
    .where(eq(clips.id, id));
  return row;
}

/** Every clip of the roll, by path on the card. */
export async function clipsOfRoll(db: Database, rollId: string): Promise<ClipRow[]> {
  return db.select(clipColumns).from(clips).where(eq(clips.rollId, rollId)).orderBy(asc(clips.originalPath));
}

/** Which of `ids` are clips of the roll. */
export async function clipIdsInRoll(db: Database, rollId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db
    .select({ id: clips.id })
    .from(clips)
    .where(and(eq(clips.rollId, rollId), inArray(clips.id, [...ids])));
  return found.map((r) => r.id);
}

/** The files of a roll already stored as clips: what a retried import may skip. */
export async function storedFilesOfRoll(
  db: Database,
  rollId: string,
): Promise<{ id: string; path: string; size: number | null }[]> {
  return db
    .select({ id: clips.id, path: clips.originalPath, size: clips.sizeBytes })
    .from(clips)
    .where(eq(clips.rollId, rollId));
}

/**
 * A card file stored as a clip of the roll: inserted, or — a file that changed since an earlier
 * attempt — its object, size and checksums reset; either way `processing` (its verify task is
 * queued with it, in the caller's transaction). Returns its id.
 */
export async function storeClip(
  db: Database,
  file: {
    rollId: string;
    productionId: string;
    fileName: string;
    originalPath: string;
    objectKey: string;
    sizeBytes: number;
  },
): Promise<string> {
  const [clip] = await db
    .insert(clips)
    .values({ ...file, state: 'processing' })
    .onConflictDoUpdate({
      target: [clips.rollId, clips.originalPath],
      set: {
        objectKey: file.objectKey,
        sizeBytes: file.sizeBytes,
        checksums: {},
        state: 'processing',
        updatedAt: new Date(),
      },
    })
    .returning({ id: clips.id });
  return clip!.id;
}

/** The digests of the clip's original (algorithm → hex). */
export async function recordChecksums(
  db: Database,
  clipId: string,
  checksums: Record<string, string>,
): Promise<void> {
  await db.update(clips).set({ checksums, updatedAt: new Date() }).where(eq(clips.id, clipId));
}

/** The typed columns a probe fills (derived from the metadata document). */
export type ProbedColumns = Pick<
  typeof clips.$inferInsert,
  | 'camera'
  | 'reel'
  | 'startTimecode'
  | 'endTimecode'
  | 'startFrame'
  | 'durationFrames'
  | 'fpsNum'
  | 'fpsDen'
  | 'width'
  | 'height'
  | 'codec'
  | 'colorSpace'
  | 'recordedAt'
>;

/** What a probe found: the typed columns, the normalized document and the tools' raw output. */
export async function recordProbe(
  db: Database,
  clipId: string,
  probe: { columns: ProbedColumns; metadata: NormalizedClipMetadata; raw: Record<string, unknown> },
): Promise<void> {
  await db
    .update(clips)
    .set({ ...probe.columns, metadata: probe.metadata, raw: probe.raw, updatedAt: new Date() })
    .where(eq(clips.id, clipId));
}

/**
 * Deletes the clip (its renditions and tasks go with it); returns the object keys of its
 * renditions, for the caller to delete from the store once the transaction committed.
 */
export async function deleteClip(db: Database, clipId: string): Promise<string[]> {
  const objects = await db
    .select({ key: renditions.objectKey })
    .from(renditions)
    .where(eq(renditions.clipId, clipId));
  await db.delete(clips).where(eq(clips.id, clipId));
  return objects.map((o) => o.key).filter((key): key is string => !!key);
}

export interface ClipListing {
  productionId: string;
  /** Only clips of these rolls (ids checked by the caller); none at all when empty. */
  rollIds?: readonly string[] | undefined;
  filter?: ClipFilterValues | undefined;
  order?: ClipOrderBy | undefined;
  /** Clips to return, and the cursor of the row to start after. */
  page: { limit: number; after?: string | null | undefined };
}

/** How many clips match: exact up to COUNT_EXACT_UP_TO, PostgreSQL's estimate above. */
export interface ClipCount {
  value: number;
  exact: boolean;
}

/** Matches counted exactly; above, counting would read every match (747 ms for 200,000). */
export const COUNT_EXACT_UP_TO = 10_000;

export interface ClipPage {
  rows: ClipRow[];
  /** The cursor of each row, for the page after it. */
  cursors: string[];
  /** Whether another page follows (one row more is read to know). */
  hasMore: boolean;
  /** Counts every match: a second statement, run only when called. */
  count: () => Promise<ClipCount>;
}

const DEFAULT_ORDER: ClipOrderBy = { field: 'NAME', direction: 'ASC' };

function listingWhere(query: ClipListing) {
  return [
    eq(clips.productionId, query.productionId),
    ...clipConditions(query.filter ?? {}, query.rollIds ? [...query.rollIds] : undefined),
  ];
}

/**
 * A page of the production's clips, filtered and sorted (default: by name), after a cursor —
 * keyset pagination through the index of the sort (./clip-filter.ts keysetSegments). A bad
 * filter value or cursor is a FilterError.
 */
export async function listClips(db: Database, query: ClipListing): Promise<ClipPage> {
  if (query.rollIds?.length === 0) {
    return { rows: [], cursors: [], hasMore: false, count: async () => ({ value: 0, exact: true }) };
  }
  const order = query.order ?? DEFAULT_ORDER;
  const base = listingWhere(query);
  const after = query.page.after ? decodeClipCursor(query.page.after, order) : undefined;
  const split = await splitFor(db, query, order);
  const found: (ClipRow & { sortKey: string | null })[] = [];
  for (const segment of split?.values.length === 0 ? [] : keysetSegments(order, after)) {
    const wanted = query.page.limit + 1 - found.length;
    if (wanted <= 0) break;
    found.push(...(await segmentQuery(db, base, order, segment, wanted, split ?? idsFirst(query, order))));
  }
  const page = found.slice(0, query.page.limit);
  return {
    rows: page.map(({ sortKey: _key, ...row }) => row),
    cursors: page.map((row) =>
      encodeClipCursor({ ...order, key: row.sortKey, path: row.originalPath, id: row.id }),
    ),
    hasMore: found.length > query.page.limit,
    count: () => countClips(db, base),
  };
}

/** A filter's values to read one by one (./clip-split.ts), when it has few; only for the name order. */
interface SplitValues {
  split: ClipSplit;
  values: string[];
}

async function splitFor(
  db: Database,
  query: ClipListing,
  order: ClipOrderBy,
): Promise<SplitValues | undefined> {
  const split = order.field === 'NAME' && query.filter ? splitOf(query.filter) : undefined;
  if (!split) return undefined;
  const result = await db.execute<{ values: string[]; walked: number }>(
    splitValuesQuery(split, query.productionId),
  );
  const values = usableSplit(result.rows[0] ?? { values: [], walked: 0 });
  return values && { split, values };
}

/**
 * A timecode filter's page in name order is picked by ids first: the timecode index covers what
 * picking needs (the frame comparison's columns and the name order's), so the matches are sorted
 * from the index alone and only the page's rows are read from the table.
 */
const IDS_FIRST = 'ids first';
function idsFirst(query: ClipListing, order: ClipOrderBy): typeof IDS_FIRST | undefined {
  const filter = query.filter;
  return order.field === 'NAME' && (filter?.timecode || filter?.timecodeFrom) ? IDS_FIRST : undefined;
}

/**
 * One scan of a page: its rows with their sort keys, in the keyset index's order; with a split,
 * one such scan per value, merged in the same order; ids first where that reads less.
 */
function segmentQuery(
  db: Database,
  base: SQL[],
  order: ClipOrderBy,
  segment: KeysetSegment,
  limit: number,
  how?: SplitValues | typeof IDS_FIRST,
) {
  const scan = (extra: SQL[]) =>
    db
      .select({ ...clipColumns, sortKey: sortKeyOf(order.field).as('sort_key') })
      .from(clips)
      .where(andAll([...base, ...extra, ...segment.where]))
      .orderBy(...segment.orderBy)
      .limit(limit);
  if (how === IDS_FIRST) {
    const ids = db
      .select({ id: clips.id })
      .from(clips)
      .where(andAll([...base, ...segment.where]))
      .orderBy(...segment.orderBy)
      .limit(limit);
    return db
      .select({ ...clipColumns, sortKey: sortKeyOf(order.field).as('sort_key') })
      .from(clips)
      .where(inArray(clips.id, ids))
      .orderBy(...segment.orderBy)
      .limit(limit);
  }
  const split = how;
  if (!split || split.values.length < 2) {
    return scan(split ? split.values.map((value) => splitCondition(split.split, value)) : []);
  }
  const [first, second, ...rest] = split.values.map((value) => scan([splitCondition(split.split, value)]));
  // The name order, by the union's own columns.
  const dir = sql.raw(order.direction === 'ASC' ? 'asc' : 'desc');
  return unionAll(first!, second!, ...rest)
    .orderBy(sql`"file_name" ${dir}`, sql`"original_path" ${dir}`, sql`"id" ${dir}`)
    .limit(limit);
}

/** Exact up to COUNT_EXACT_UP_TO (reading at most one row more); PostgreSQL's estimate above. */
async function countClips(db: Database, where: SQL[]): Promise<ClipCount> {
  // A function, not one builder: drizzle's builders change in place, and the estimate must not
  // see the LIMIT the exact count puts on it.
  const matches = () =>
    db
      .select({ one: sql`1` })
      .from(clips)
      .where(andAll(where));
  const [counted] = await db.select({ n: sql<number>`count(*)::int` }).from(
    matches()
      .limit(COUNT_EXACT_UP_TO + 1)
      .as('matches'),
  );
  const n = counted?.n ?? 0;
  if (n <= COUNT_EXACT_UP_TO) return { value: n, exact: true };
  const plan = await explain(db, matches());
  return { value: Math.max(Math.round(Number(plan['Plan Rows'] ?? 0)), n), exact: false };
}

/** A node of PostgreSQL's `EXPLAIN (FORMAT JSON)` plan. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

async function explain(db: Database, query: SQLWrapper): Promise<PlanNode> {
  const result = await db.execute<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
    sql`explain (format json) ${query}`,
  );
  return result.rows[0]!['QUERY PLAN'][0]!.Plan;
}

/**
 * The plan PostgreSQL picks for a page's first scan (what the scale bench prints and the scale
 * test checks: no sequential scan of the clips table for any filter or sort).
 */
export async function explainListClips(db: Database, query: ClipListing): Promise<PlanNode> {
  const order = query.order ?? DEFAULT_ORDER;
  const after = query.page.after ? decodeClipCursor(query.page.after, order) : undefined;
  const [segment] = keysetSegments(order, after);
  const split = await splitFor(db, query, order);
  const how = split ?? idsFirst(query, order);
  return explain(db, segmentQuery(db, listingWhere(query), order, segment!, query.page.limit + 1, how));
}

/** The cursor of the clip `id` in `order` (benchmarks and tests start a page deep in a set). */
export async function clipCursor(db: Database, id: string, order: ClipOrderBy): Promise<string | undefined> {
  const [row] = await db
    .select({ key: sortKeyOf(order.field), path: clips.originalPath })
    .from(clips)
    .where(eq(clips.id, id));
  return row && encodeClipCursor({ ...order, key: row.key, path: row.path, id });
}

/** Clips by state, and the bytes their originals take. */
export interface StateCounts {
  total: number;
  pending: number;
  processing: number;
  ready: number;
  failed: number;
  partial: number;
  sizeBytes: number;
}

const NO_CLIPS: StateCounts = {
  total: 0,
  pending: 0,
  processing: 0,
  ready: 0,
  failed: 0,
  partial: 0,
  sizeBytes: 0,
};

/** The clip counts of each roll (or production) of `ids`, in their order; zeros for one with none. */
export async function clipStateCounts(
  db: Database,
  of: 'roll' | 'production',
  ids: readonly string[],
): Promise<StateCounts[]> {
  if (ids.length === 0) return [];
  const column = of === 'roll' ? clips.rollId : clips.productionId;
  const rows = await db
    .select({
      id: column,
      total: sql<number>`count(*)::int`,
      pending: sql<number>`(count(*) filter (where ${clips.state} = 'pending'))::int`,
      processing: sql<number>`(count(*) filter (where ${clips.state} = 'processing'))::int`,
      ready: sql<number>`(count(*) filter (where ${clips.state} = 'ready'))::int`,
      failed: sql<number>`(count(*) filter (where ${clips.state} = 'failed'))::int`,
      partial: sql<number>`(count(*) filter (where ${clips.state} = 'partial'))::int`,
      sizeBytes: sql<number>`coalesce(sum(${clips.sizeBytes}), 0)::float8`,
    })
    .from(clips)
    .where(inArray(column, [...ids]))
    .groupBy(column);
  const found = new Map(rows.map(({ id, ...counts }) => [id, counts]));
  return ids.map((id) => found.get(id) ?? { ...NO_CLIPS });
}

/**
 * The production's clips matching `pattern` (an ILIKE pattern, its wildcards escaped by the
 * caller) in the clip's one search document (names, reel, path, codec, timecode, failure code,
 * scene, take, camera, lens, colour, sound: the clips table's search_text, trigram-indexed) —
 * name and reel matches first, then by file name; at most `first`.
 */
export async function searchClips(
  db: Database,
  productionId: string,
  pattern: string,
  first: number,
): Promise<ClipRow[]> {
  const nameMatch = or(ilike(clips.fileName, pattern), ilike(clips.reel, pattern));
  return db
    .select(clipColumns)
    .from(clips)
    .where(and(eq(clips.productionId, productionId), ilike(clips.searchText, pattern)))
    .orderBy(sql`case when ${nameMatch} then 0 else 1 end`, asc(clips.fileName))
    .limit(first);
}
