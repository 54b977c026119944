/**
 * Rolls (camera cards and sound rolls): their rows, listings and the bookkeeping of a card
 * import. Their state is written only by ./states.ts.
 */
import { clips, productions, rolls } from '@rushes/schema/tables';
import { and, asc, eq, ilike, inArray, sql } from 'drizzle-orm';
import type { PageWindow, ProductionRow } from './clips.ts';
import type { Database } from './db.ts';

export type RollRow = typeof rolls.$inferSelect;
export type NewRoll = typeof rolls.$inferInsert;
export type RollKind = RollRow['kind'];

/** The rolls of these ids that exist (any order). */
export async function findRolls(db: Database, ids: readonly string[]): Promise<RollRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(rolls)
    .where(inArray(rolls.id, [...ids]));
}

/** The roll with its production, or undefined. */
export async function findRollWithProduction(
  db: Database,
  id: string,
): Promise<{ roll: RollRow; production: ProductionRow } | undefined> {
  const [row] = await db
    .select({ roll: rolls, production: productions })
    .from(rolls)
    .innerJoin(productions, eq(productions.id, rolls.productionId))
    .where(eq(rolls.id, id));
  return row;
}

/** The production's roll of that name (names are unique in a production), or undefined. */
export async function rollByName(
  db: Database,
  productionId: string,
  name: string,
): Promise<RollRow | undefined> {
  // rolls_production_name_key: a unique index on (production_id, name).
  const [row] = await db
    .select()
    .from(rolls)
    .where(and(eq(rolls.productionId, productionId), eq(rolls.name, name)));
  return row;
}

/** Which of `ids` are rolls of the production. */
export async function rollIdsInProduction(
  db: Database,
  productionId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db
    .select({ id: rolls.id })
    .from(rolls)
    .where(and(inArray(rolls.id, [...ids]), eq(rolls.productionId, productionId)));
  return found.map((r) => r.id);
}

/**
 * A page of the production's rolls — latest shoot day first (undated last), then by name — and
 * how many there are in all; `kind` keeps only camera or sound rolls.
 */
export async function listRolls(
  db: Database,
  productionId: string,
  page: PageWindow,
  kind?: RollKind | null,
): Promise<{ rows: RollRow[]; total: number }> {
  const where = and(eq(rolls.productionId, productionId), kind ? eq(rolls.kind, kind) : undefined);
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(rolls)
      .where(where)
      .orderBy(sql`${rolls.shootDay} desc nulls last`, asc(rolls.name), asc(rolls.id))
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(rolls)
      .where(where),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** Creates a roll; a taken name is PostgreSQL's unique violation (23505), for the caller to word. */
export async function createRoll(db: Database, values: NewRoll): Promise<RollRow> {
  const [row] = await db.insert(rolls).values(values).returning();
  return row!;
}

/**
 * An existing roll takes a card, or takes it again after an interrupted attempt: where it comes
 * from, its kind, its camera unit (unless one was given) and the count of files to import.
 * Returns false when the roll no longer exists.
 */
export async function claimRollForImport(
  db: Database,
  rollId: string,
  card: { location: string; kind: RollKind; cameraUnit: string | null; filesTotal: number },
): Promise<boolean> {
  const claimed = await db
    .update(rolls)
    .set({
      sourceLocation: card.location,
      kind: card.kind,
      cameraUnit: sql`coalesce(${rolls.cameraUnit}, ${card.cameraUnit})`,
      importFilesTotal: card.filesTotal,
      importFilesDone: sql`coalesce(${rolls.importFilesDone}, 0)`,
      updatedAt: new Date(),
    })
    .where(eq(rolls.id, rollId))
    .returning({ id: rolls.id });
  return claimed.length > 0;
}

/** How many of the card's files a running import has stored. */
export async function recordImportProgress(db: Database, rollId: string, filesDone: number): Promise<void> {
  await db
    .update(rolls)
    .set({ importFilesDone: filesDone, updatedAt: new Date() })
    .where(eq(rolls.id, rollId));
}

/**
 * A parallel import's batch is in: the roll's count of stored files recomputed from what is
 * there — the card's other files (copied before the batches) and the roll's clips — under the
 * roll's row lock, so batches ending together count each file once and exactly one of them sees
 * the count reach the total. Undefined when the roll is gone.
 */
export async function recountImport(
  tx: Database,
  rollId: string,
  otherFiles: number,
): Promise<{ before: number; after: number; total: number } | undefined> {
  const [roll] = await tx
    .select({ done: rolls.importFilesDone, total: rolls.importFilesTotal })
    .from(rolls)
    .where(eq(rolls.id, rollId))
    .for('update');
  if (!roll) return undefined;
  const [stored] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(clips)
    .where(eq(clips.rollId, rollId));
  const after = otherFiles + (stored?.n ?? 0);
  await tx.update(rolls).set({ importFilesDone: after, updatedAt: new Date() }).where(eq(rolls.id, rollId));
  return { before: roll.done ?? 0, after, total: roll.total ?? 0 };
}

/** Serializes the seals of one roll across workers, until the caller's transaction ends. */
export async function lockRollSeal(tx: Database, rollId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`seal:${rollId}`}))`);
}

/** The production's rolls whose name matches `pattern` (ILIKE, escaped by the caller), by name; at most `first`. */
export async function searchRolls(
  db: Database,
  productionId: string,
  pattern: string,
  first: number,
): Promise<RollRow[]> {
  return db
    .select()
    .from(rolls)
    .where(and(eq(rolls.productionId, productionId), ilike(rolls.name, pattern)))
    .orderBy(asc(rolls.name))
    .limit(first);
}
