import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiKeys, users } from './people.ts';
import { productions } from './productions.ts';

/** Who did what, when: append-only. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    productionId: uuid('production_id').references(() => productions.id, { onDelete: 'cascade' }),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorApiKeyId: uuid('actor_api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
    /** Worker id when a worker acted. */
    actorWorker: text('actor_worker'),
    /** Dotted verb, e.g. `production.created`, `clip.verified`. */
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_events_production_created_idx').on(t.productionId, t.createdAt),
    index('audit_events_subject_idx').on(t.subjectType, t.subjectId),
  ],
);
