import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Context } from './context.ts';

/** Codes whose messages were written for the caller; anything else is an internal failure. */
const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'CONFLICT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Whether an error's message was written for the caller. */
export function isPublic(code: unknown): boolean {
  return PUBLIC_CODES.has(String(code ?? 'INTERNAL_SERVER_ERROR'));
}

/** Hides internal error text (SQL, stack traces) from callers; `internalErrorLog` logs it. */
export function maskErrors(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (isPublic(formatted.extensions?.code)) return formatted;
  return {
    message: 'Internal server error.',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** Logs each internal error with its request id (the caller sees only the id, in x-request-id). */
export function internalErrorLog(fallback: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          const log = (contextValue as Partial<Context> | undefined)?.log ?? fallback;
          for (const error of errors) {
            if (!isPublic(error.extensions?.['code'])) {
              log.error({ err: error.originalError ?? error, path: error.path }, 'internal error');
            }
          }
        },
      };
    },
  };
}
