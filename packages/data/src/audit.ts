/** The audit trail: who did what, written in the transaction of the change it records. */
import { auditEvents } from '@rushes/schema/tables';
import { desc, eq, sql } from 'drizzle-orm';
import type { PageWindow } from './clips.ts';
import type { Database } from './db.ts';

export type NewAuditEvent = typeof auditEvents.$inferInsert;

/** Appends audit events (none: nothing is written). */
export async function recordAudit(
  db: Database,
  events: NewAuditEvent | readonly NewAuditEvent[],
): Promise<void> {
  const rows = Array.isArray(events) ? [...events] : [events as NewAuditEvent];
  if (rows.length === 0) return;
  await db.insert(auditEvents).values(rows);
}

export type AuditEventRow = typeof auditEvents.$inferSelect;

/** A page of the production's audit events, newest first, and how many there are in all. */
export async function auditEventsOfProduction(
  db: Database,
  productionId: string,
  page: PageWindow,
): Promise<{ rows: AuditEventRow[]; total: number }> {
  const where = eq(auditEvents.productionId, productionId);
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(auditEvents)
      .where(where)
      .orderBy(desc(auditEvents.id))
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvents)
      .where(where),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** The audit event, or undefined. */
export async function findAuditEvent(db: Database, id: number): Promise<AuditEventRow | undefined> {
  const [row] = await db.select().from(auditEvents).where(eq(auditEvents.id, id));
  return row;
}
