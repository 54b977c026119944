import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { productionState } from './enums.ts';

export const productions = pgTable(
  'productions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Short code used in paths, CLIs and file names, e.g. `NIGHTSHIFT`. */
    code: text('code').notNull(),
    /** Default frame rate as a rational (24000/1001 for 23.976). */
    fpsNum: integer('fps_num').notNull().default(24),
    fpsDen: integer('fps_den').notNull().default(1),
    colorPipeline: jsonb('color_pipeline').$type<Record<string, unknown>>().notNull().default({}),
    proxyProfiles: jsonb('proxy_profiles').$type<Record<string, unknown>[]>().notNull().default([]),
    /** `pending` until the worker has set the production up (job `production.setup`). */
    state: productionState('state').notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('productions_code_key').on(sql`upper(${t.code})`)],
);
