/**
 * The manifests that came with a card (ASC MHL v1/v2), one row per manifest file; their entries
 * are parsed by their schema where they are read and checked where they are written
 * (./documents.ts).
 */
import type { ManifestEntry } from '@rushes/engine';
import { manifests } from '@rushes/schema/tables';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Database } from './db.ts';
import { manifestEntriesDocument, readManifestEntries } from './documents.ts';

export type ManifestRow = typeof manifests.$inferSelect;
export type ManifestFormat = ManifestRow['format'];

/** The manifest rows of these rolls, by path (entries unparsed: for listings). */
export async function manifestsOfRolls(db: Database, rollIds: readonly string[]): Promise<ManifestRow[]> {
  if (rollIds.length === 0) return [];
  return db
    .select()
    .from(manifests)
    .where(inArray(manifests.rollId, [...rollIds]))
    .orderBy(asc(manifests.path));
}

/** The roll's manifests with their entries parsed. */
export async function manifestEntriesOfRoll(
  db: Database,
  rollId: string,
): Promise<{ path: string; entries: ManifestEntry[] }[]> {
  const rows = await db.select().from(manifests).where(eq(manifests.rollId, rollId));
  return rows.map((m) => ({ path: m.path, entries: readManifestEntries(m.entries, m.path) }));
}

/** Records a manifest of the roll; idempotent (a retried import records it once). */
export async function recordManifest(
  db: Database,
  rollId: string,
  manifest: { format: ManifestFormat; path: string; entries: readonly ManifestEntry[] },
): Promise<void> {
  const entries = manifestEntriesDocument(manifest.entries);
  await db
    .insert(manifests)
    .values({ rollId, format: manifest.format, path: manifest.path, entries })
    .onConflictDoUpdate({
      target: [manifests.rollId, manifests.path],
      set: { format: manifest.format, entries },
    });
}

/** The manifest row, or undefined. */
export async function findManifest(db: Database, id: string): Promise<ManifestRow | undefined> {
  const [row] = await db.select().from(manifests).where(eq(manifests.id, id));
  return row;
}
