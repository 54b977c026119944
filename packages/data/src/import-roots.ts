/**
 * Import roots: the server folders and S3 prefixes cards may be imported from, each open to all
 * productions (no ids) or to some. The api checks a location against them when an import is
 * asked for; the worker checks it again, on its own machine, before reading anything.
 */
import { importRoots } from '@rushes/schema/tables';
import { eq } from 'drizzle-orm';
import type { Database } from './db.ts';

export type ImportRootRow = typeof importRoots.$inferSelect;
export type ImportRootValues = { location: string; description: string; productionIds: string[] };

/** Every root's location and the productions it is open to (none: all), by location. */
export async function importRootGrants(
  db: Database,
): Promise<{ location: string; productionIds: string[] }[]> {
  return db
    .select({ location: importRoots.location, productionIds: importRoots.productionIds })
    .from(importRoots)
    .orderBy(importRoots.location);
}

/** Every import root, by location. */
export async function listImportRoots(db: Database): Promise<ImportRootRow[]> {
  return db.select().from(importRoots).orderBy(importRoots.location);
}

/** Adds a root; a location that is one already is PostgreSQL's unique violation (23505). */
export async function createImportRoot(
  db: Database,
  values: ImportRootValues & { createdBy: string | null },
): Promise<ImportRootRow> {
  const [created] = await db.insert(importRoots).values(values).returning();
  return created!;
}

/** Changes a root; undefined when there is none with that id. */
export async function updateImportRoot(
  db: Database,
  id: string,
  values: ImportRootValues,
): Promise<ImportRootRow | undefined> {
  const [changed] = await db.update(importRoots).set(values).where(eq(importRoots.id, id)).returning();
  return changed;
}

/** Removes a root; the removed row, or undefined when there was none. */
export async function deleteImportRoot(db: Database, id: string): Promise<ImportRootRow | undefined> {
  const [removed] = await db.delete(importRoots).where(eq(importRoots.id, id)).returning();
  return removed;
}

/** The import root, or undefined. */
export async function findImportRoot(db: Database, id: string): Promise<ImportRootRow | undefined> {
  const [row] = await db.select().from(importRoots).where(eq(importRoots.id, id));
  return row;
}
