/**
 * Productions: their rows and settings (read by the api and by the worker's renders), their
 * creation with an owner, and the worker's set-up.
 */
import { auditEvents, productionMembers, productions } from '@rushes/schema/tables';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { PageWindow, ProductionRow } from './clips.ts';
import type { Database } from './db.ts';

export type { ProductionRow } from './clips.ts';
export type NewProduction = typeof productions.$inferInsert;

/** The production, or undefined. */
export async function findProduction(db: Database, id: string): Promise<ProductionRow | undefined> {
  const [row] = await db.select().from(productions).where(eq(productions.id, id));
  return row;
}

/** The productions of these ids that exist (any order). */
export async function findProductions(db: Database, ids: readonly string[]): Promise<ProductionRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(productions)
    .where(inArray(productions.id, [...ids]));
}

/** The production of that code (case-insensitive), or undefined. */
export async function productionByCode(db: Database, code: string): Promise<ProductionRow | undefined> {
  const [row] = await db
    .select()
    .from(productions)
    .where(eq(sql`upper(${productions.code})`, code.toUpperCase()));
  return row;
}

/** A page of productions — all, or those of `ids` — newest first, and how many in all. */
export async function listProductions(
  db: Database,
  among: 'all' | readonly string[],
  page: PageWindow,
): Promise<{ rows: ProductionRow[]; total: number }> {
  if (among !== 'all' && among.length === 0) return { rows: [], total: 0 };
  const where = among === 'all' ? undefined : inArray(productions.id, [...among]);
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(productions)
      .where(where)
      .orderBy(desc(productions.createdAt), desc(productions.id))
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(productions)
      .where(where),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/**
 * Creates a production with `ownerId` as its owner; a taken code is PostgreSQL's unique
 * violation (23505). Give it a transaction's handle, with the audit event and set-up job.
 */
export async function createProduction(
  db: Database,
  values: NewProduction,
  ownerId: string,
): Promise<ProductionRow> {
  const [row] = await db.insert(productions).values(values).returning();
  await db.insert(productionMembers).values({ productionId: row!.id, userId: ownerId, role: 'owner' });
  return row!;
}

/** Changes a production's name or settings; the updated row, or undefined when it is gone. */
export async function updateProduction(
  db: Database,
  id: string,
  changes: Partial<Omit<NewProduction, 'id' | 'createdAt' | 'updatedAt'>>,
): Promise<ProductionRow | undefined> {
  const [row] = await db
    .update(productions)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(productions.id, id))
    .returning();
  return row;
}

/**
 * Marks a pending production ready, with its audit event, in one transaction. Idempotent: false
 * (and no second audit event) when it was not pending. Give it the pool.
 */
export async function markProductionReady(
  db: Database,
  productionId: string,
  workerId: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(productions)
      .set({ state: 'ready', updatedAt: new Date() })
      .where(and(eq(productions.id, productionId), eq(productions.state, 'pending')))
      .returning({ id: productions.id });
    if (updated.length === 0) return false;
    await tx.insert(auditEvents).values({
      productionId,
      actorWorker: workerId,
      action: 'production.ready',
      subjectType: 'production',
      subjectId: productionId,
    });
    return true;
  });
}
