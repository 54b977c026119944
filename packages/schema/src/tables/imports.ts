import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './people.ts';

/**
 * Where `importRoll` may read cards from: server folders and S3 prefixes an administrator has
 * opened for import, each for every production or only some. Nothing outside them is importable
 * through the api (see `@rushes/storage/import-roots`).
 */
export const importRoots = pgTable(
  'import_roots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** An absolute folder (resolved: no symlinks, no `..`) or `s3://bucket/prefix/`. */
    location: text('location').notNull(),
    description: text('description').notNull().default(''),
    /** The productions that may import from it; empty: every production. */
    productionIds: uuid('production_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('import_roots_location_key').on(t.location)],
);
