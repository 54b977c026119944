/** API keys: scoped to productions and one role; only the hash of a key's secret is stored. */
import { apiKeys } from '@rushes/schema/tables';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from './db.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;

/** The keys that reach the production, newest first. */
export async function apiKeysOfProduction(db: Database, productionId: string): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(sql`${productionId}::uuid = any(${apiKeys.productionIds})`)
    .orderBy(desc(apiKeys.createdAt));
}

/** The key, or undefined. */
export async function findApiKey(db: Database, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row;
}

export async function createApiKey(db: Database, values: NewApiKey): Promise<ApiKeyRow> {
  const [row] = await db.insert(apiKeys).values(values).returning();
  return row!;
}

/** Revokes the key now; undefined when it was revoked already (or is gone). */
export async function revokeApiKey(db: Database, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  return row;
}
