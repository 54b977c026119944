/** GraphQL errors whose messages are written for the caller (see errors.ts for the rest). */
import { GraphQLError } from 'graphql';

export function badInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

export function conflict(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'CONFLICT', ...(field ? { field } : {}) } });
}

/**
 * The reasons a client may act on, in `extensions.reason` beside the code: a machine-readable
 * answer, so no client matches message text.
 */
export type ConflictReason = 'ALREADY_UPLOADED' | 'ROLL_ALREADY_IMPORTED';

export function conflictBecause(reason: ConflictReason, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'CONFLICT', reason } });
}

const UNIQUE_VIOLATION = '23505';

/** Whether a PostgreSQL error (also wrapped by Drizzle as the `cause`) is a unique violation. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
}
