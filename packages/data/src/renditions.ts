/**
 * Renditions: the derived files of a clip (proxies, images, strips), one row per name. The worker
 * writes them (all of a render's rows in one transaction); the api reads them and the exports
 * stream the ready proxies.
 */
import { clips, renditions } from '@rushes/schema/tables';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from './db.ts';

export type RenditionRow = typeof renditions.$inferSelect;
export type NewRendition = typeof renditions.$inferInsert;

/** The renditions of these clips, by name. */
export async function renditionsOfClips(db: Database, clipIds: readonly string[]): Promise<RenditionRow[]> {
  if (clipIds.length === 0) return [];
  return db
    .select()
    .from(renditions)
    .where(inArray(renditions.clipId, [...clipIds]))
    .orderBy(asc(renditions.name));
}

/** Whether the clip has ready renditions of this identity (a render with these inputs ran). */
export async function hasReadyRenditions(db: Database, clipId: string, identity: string): Promise<boolean> {
  const done = await db
    .select({ id: renditions.id })
    .from(renditions)
    .where(
      and(eq(renditions.clipId, clipId), eq(renditions.identity, identity), eq(renditions.state, 'ready')),
    )
    .limit(1);
  return done.length > 0;
}

/**
 * A render's renditions of the clip, upserted by name — all rows or none, so the identity check
 * never sees half of a run. Returns the object keys they replaced (an older identity's: a changed
 * look or profile), for the caller to delete from the store.
 */
export async function storeRenditions(
  db: Database,
  clipId: string,
  rows: readonly Omit<NewRendition, 'clipId'>[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const previous = await db
    .select({ objectKey: renditions.objectKey })
    .from(renditions)
    .where(
      and(
        eq(renditions.clipId, clipId),
        inArray(
          renditions.name,
          rows.map((r) => r.name),
        ),
      ),
    );
  await db.transaction(async (tx) => {
    for (const row of rows) {
      const values = { ...row, clipId };
      await tx
        .insert(renditions)
        .values(values)
        .onConflictDoUpdate({
          target: [renditions.clipId, renditions.name],
          set: { ...values, updatedAt: new Date() },
        });
    }
  });
  const current = new Set(rows.map((r) => r.objectKey));
  return previous.map((p) => p.objectKey).filter((key): key is string => !!key && !current.has(key));
}

/**
 * The roll's ready renditions of one name (e.g. `proxy:review`) with their clips' file names, by
 * path on the card; with `clipIds`, only those clips'.
 */
export async function readyRenditionsOfRoll(
  db: Database,
  rollId: string,
  name: string,
  clipIds?: readonly string[],
): Promise<{ fileName: string; objectKey: string | null }[]> {
  return db
    .select({ fileName: clips.fileName, objectKey: renditions.objectKey })
    .from(renditions)
    .innerJoin(clips, eq(clips.id, renditions.clipId))
    .where(
      and(
        eq(clips.rollId, rollId),
        eq(renditions.name, name),
        eq(renditions.state, 'ready'),
        clipIds ? inArray(clips.id, [...clipIds]) : undefined,
      ),
    )
    .orderBy(asc(clips.originalPath));
}

/** The rendition, or undefined. */
export async function findRendition(db: Database, id: string): Promise<RenditionRow | undefined> {
  const [row] = await db.select().from(renditions).where(eq(renditions.id, id));
  return row;
}
