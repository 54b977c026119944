/**
 * Clips: every query on the `clips` table the api and the worker make. Rows are returned as
 * `ClipRow` (all columns but `raw`); jsonb documents are parsed where they are used
 * (./documents.ts). Functions take the handle to work through (the pool or a transaction).
 */
import type { NormalizedClipMetadata } from '@rushes/schema/metadata';
import { clips, productions, renditions } from '@rushes/schema/tables';
import { and, asc, eq, getTableColumns, ilike, inArray, or, sql } from 'drizzle-orm';
import {
  andAll,
  clipConditions,
  clipOrder,
  type ClipFilterValues,
  type ClipSortField,
} from './clip-filter.ts';
import type { Database } from './db.ts';

/**
 * The clip columns the apps read: all but `raw`, the tools' full output (tens of kilobytes a
 * clip), which nothing reads back — a page of 100 clips would otherwise drag megabytes along.
 */
const { raw: _raw, ...listedColumns } = getTableColumns(clips);
export const clipColumns = listedColumns;
export type ClipRow = Omit<typeof clips.$inferSelect, 'raw'>;
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
  order?: { field: ClipSortField; direction: 'ASC' | 'DESC' } | undefined;
  page: PageWindow;
}

/**
 * A page of the production's clips, filtered and sorted (default: by name); `hasMore` says
 * whether another page follows (one row more is read), and `count()` counts every match — a
 * second, costly statement (747 ms for 200,000 matches where the page took 2 ms), run only when
 * called. A bad filter value is a FilterError (./clip-filter.ts).
 */
export async function listClips(
  db: Database,
  query: ClipListing,
): Promise<{ rows: ClipRow[]; hasMore: boolean; count: () => Promise<number> }> {
  if (query.rollIds?.length === 0) return { rows: [], hasMore: false, count: async () => 0 };
  const where = andAll([
    eq(clips.productionId, query.productionId),
    ...clipConditions(query.filter ?? {}, query.rollIds ? [...query.rollIds] : undefined),
  ]);
  const order = clipOrder(query.order?.field ?? 'NAME', query.order?.direction ?? 'ASC');
  const rows = await db
    .select(clipColumns)
    .from(clips)
    .where(where)
    .orderBy(...order)
    .limit(query.page.limit + 1)
    .offset(query.page.offset);
  const count = async () => {
    const [found] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(clips)
      .where(where);
    return found?.n ?? 0;
  };
  return { rows: rows.slice(0, query.page.limit), hasMore: rows.length > query.page.limit, count };
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

const documentValue = (group: string, field: string) =>
  sql`(${clips.metadata} -> ${group} -> ${field} ->> 'value')`;

/**
 * The production's clips matching `pattern` (an ILIKE pattern, its wildcards escaped by the
 * caller) in file name, reel, card path, scene, take, camera model, lens or sound note — name
 * and reel matches first, then by file name; at most `first`.
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
    .where(
      and(
        eq(clips.productionId, productionId),
        or(
          nameMatch,
          ilike(clips.originalPath, pattern),
          ...[
            documentValue('identity', 'scene'),
            documentValue('identity', 'take'),
            documentValue('camera', 'model'),
            documentValue('lens', 'model'),
            documentValue('audio', 'scene'),
            documentValue('audio', 'note'),
          ].map((field) => sql`${field} ilike ${pattern}`),
        ),
      ),
    )
    .orderBy(sql`case when ${nameMatch} then 0 else 1 end`, asc(clips.fileName))
    .limit(first);
}
