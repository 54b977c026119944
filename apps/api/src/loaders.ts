/**
 * Per-request DataLoaders: a page of clips asking for its renditions, tasks and roll costs one
 * query per relation, not one per clip. Made fresh for every request (and every subscription
 * event), so nothing is cached across callers or across time.
 */
import { clips, manifests, productions, renditions, rolls, tasks } from '@rushes/schema/tables';
import DataLoader from 'dataloader';
import { asc, inArray, sql } from 'drizzle-orm';
import type { Database } from '@rushes/data/db';
import { clipColumns, type ClipRow } from './modules/clip/clip.type.ts';

type Row<T extends { $inferSelect: unknown }> = T['$inferSelect'];

function byId<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | undefined>(async (ids) => {
    const rows = new Map((await load([...ids])).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id));
  });
}

function groupedBy<T, K extends keyof T>(key: K, load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T[]>(async (ids) => {
    const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const row of await load([...ids])) groups.get(row[key] as string)?.push(row);
    return ids.map((id) => groups.get(id)!);
  });
}

export interface StateCounts {
  total: number;
  pending: number;
  processing: number;
  ready: number;
  failed: number;
  partial: number;
  sizeBytes: number;
}

function stateCounts(db: Database, column: typeof clips.rollId | typeof clips.productionId) {
  return new DataLoader<string, StateCounts>(async (ids) => {
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
    const none = { total: 0, pending: 0, processing: 0, ready: 0, failed: 0, partial: 0, sizeBytes: 0 };
    return ids.map((id) => found.get(id) ?? none);
  });
}

export function createLoaders(db: Database) {
  return {
    production: byId<Row<typeof productions>>((ids) =>
      db.select().from(productions).where(inArray(productions.id, ids)),
    ),
    roll: byId<Row<typeof rolls>>((ids) => db.select().from(rolls).where(inArray(rolls.id, ids))),
    clip: byId<ClipRow>((ids) => db.select(clipColumns).from(clips).where(inArray(clips.id, ids))),
    renditionsByClip: groupedBy<Row<typeof renditions>, 'clipId'>('clipId', (ids) =>
      db.select().from(renditions).where(inArray(renditions.clipId, ids)).orderBy(asc(renditions.name)),
    ),
    tasksByClip: groupedBy<Row<typeof tasks>, 'clipId'>('clipId', (ids) =>
      db.select().from(tasks).where(inArray(tasks.clipId, ids)).orderBy(asc(tasks.queuedAt)),
    ),
    manifestsByRoll: groupedBy<Row<typeof manifests>, 'rollId'>('rollId', (ids) =>
      db.select().from(manifests).where(inArray(manifests.rollId, ids)).orderBy(asc(manifests.path)),
    ),
    countsByRoll: stateCounts(db, clips.rollId),
    countsByProduction: stateCounts(db, clips.productionId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
