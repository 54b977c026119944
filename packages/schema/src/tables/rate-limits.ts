import { bigint, index, integer, pgTable, varchar } from 'drizzle-orm/pg-core';

/**
 * Counters of rate-limiter-flexible's `RateLimiterPostgres`, shared by every api replica: the
 * library's own layout (it is told the table exists and never creates it). Each limiter's keys
 * carry its prefix, e.g. `sign_in_account:<sha-256 of the e-mail>`, `sign_in_address:<ip>`.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: varchar('key', { length: 255 }).primaryKey(),
    /** Points consumed in the current window. */
    points: integer('points').notNull().default(0),
    /** End of the window or lock, in milliseconds since the epoch; null: never. */
    expire: bigint('expire', { mode: 'number' }),
  },
  // The library deletes expired rows every five minutes.
  (t) => [index('rate_limits_expire_idx').on(t.expire)],
);
