/**
 * Which database schema this build knows: the migrations in drizzle/ (committed, with
 * meta/_journal.json). The migrate command applies them; the api's /readyz and the apps' start-up
 * compare what a database has applied against the newest one here.
 *
 * Drizzle records each applied migration in `drizzle.__drizzle_migrations` with `created_at` set
 * to the journal entry's `when`, so the newest applied `created_at` says where a database stands.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** drizzle/ at the repository (or image) root: the same depth from src/ and dist/. */
export const migrationsFolder = fileURLToPath(new URL('../../../drizzle', import.meta.url));

const journalSchema = z.object({
  entries: z
    .array(z.object({ idx: z.number().int(), when: z.number().int(), tag: z.string().min(1) }))
    .min(1, 'has no migrations'),
});

export interface MigrationHead {
  /** The newest migration's file name without .sql, e.g. `0003_sign_in_rate_limits`. */
  tag: string;
  /** Its journal timestamp (ms), which drizzle stores as `created_at` when applying it. */
  when: number;
}

/** The newest migration in a parsed journal. Throws with the reason when the journal is unusable. */
export function migrationHead(journal: unknown): MigrationHead {
  const parsed = journalSchema.safeParse(journal);
  if (!parsed.success) {
    throw new Error(
      `drizzle/meta/_journal.json is not a migration journal: ${parsed.error.issues[0]?.message}`,
    );
  }
  const newest = parsed.data.entries.reduce((a, b) => (b.when > a.when ? b : a));
  return { tag: newest.tag, when: newest.when };
}

/** The newest migration in drizzle/ (or `folder`). */
export async function readMigrationHead(folder = migrationsFolder): Promise<MigrationHead> {
  const file = path.join(folder, 'meta', '_journal.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return migrationHead(JSON.parse(text));
}

export type SchemaState =
  /** Every migration this build knows is applied, and no newer one. */
  | { state: 'current'; head: MigrationHead }
  /** Nothing applied yet (a new database): run the migrate command. */
  | { state: 'empty'; head: MigrationHead }
  /** Older than this build: run the migrate command. */
  | { state: 'behind'; head: MigrationHead; applied: number }
  /** Migrated by a newer build: this one does not know the schema and must not use it. */
  | { state: 'ahead'; head: MigrationHead; applied: number };

/** Pure: where a database stands, from its newest applied `created_at` (undefined: none). */
export function schemaState(head: MigrationHead, newestApplied: number | undefined): SchemaState {
  if (newestApplied === undefined) return { state: 'empty', head };
  if (newestApplied === head.when) return { state: 'current', head };
  return newestApplied < head.when
    ? { state: 'behind', head, applied: newestApplied }
    : { state: 'ahead', head, applied: newestApplied };
}

/** One sentence for logs and /readyz; undefined when the schema is current. */
export function schemaProblem(state: SchemaState): string | undefined {
  switch (state.state) {
    case 'current':
      return undefined;
    case 'empty':
      return `the database has no migrations applied; run the migrate command (head: ${state.head.tag})`;
    case 'behind':
      return `the database schema is older than this build (head: ${state.head.tag}); run the migrate command`;
    case 'ahead':
      return `the database was migrated by a newer build (applied ${new Date(state.applied).toISOString()}, newest known ${state.head.tag}); this build does not know its schema`;
  }
}

/** The newest applied migration's `created_at`, read by the caller's query (pure SQL text). */
export const newestAppliedMigrationSql =
  'select max(created_at)::bigint as newest from drizzle.__drizzle_migrations';
