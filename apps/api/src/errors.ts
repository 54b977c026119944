import type { ApolloServerPlugin } from '@apollo/server';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Context } from './context.ts';
import { LIMITS, tokenLimitError } from './graphql/limits.ts';

/** Codes whose messages were written for the caller; anything else is an internal failure. */
const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'CONFLICT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'TOO_MANY_ATTEMPTS',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
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

/**
 * Hides internal error text (SQL, stack traces) from callers; `internalErrorLog` logs it. The
 * lexer giving up at the tokens limit (a syntax error to Apollo) is said as that limit.
 */
export function maskErrors(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED') {
    const tokens = tokenLimitError(formatted.message);
    if (tokens) return tokens.toJSON();
  }
  if (isPublic(formatted.extensions?.code)) return formatted;
  return {
    message: 'Internal server error.',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** A masked error says which request it was: the caller can quote it, an operator find the log. */
export function withRequestId(formatted: GraphQLFormattedError, requestId: string): GraphQLFormattedError {
  if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, requestId } };
}

/** Logs the internal errors among `errors` with their real message (`log` carries the request id). */
export function logInternalErrors(log: Logger, errors: readonly GraphQLError[]): void {
  for (const error of errors) {
    if (!isPublic(error.extensions?.['code'])) {
      log.error({ err: error.originalError ?? error, path: error.path }, 'internal error');
    }
  }
}

/**
 * What a caller is shown of an operation's errors, on every transport: public errors as written
 * (without transport details), internal ones logged and masked with the request id.
 */
export function presentErrors(
  errors: readonly GraphQLError[],
  log: Logger,
  requestId: string,
): GraphQLFormattedError[] {
  logInternalErrors(log, errors);
  return errors.map((error) => {
    const { http: _http, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
    const formatted = maskErrors({ ...error.toJSON(), extensions });
    return withRequestId(formatted, requestId);
  });
}

/**
 * Apollo's half of `presentErrors` (Apollo masks with `maskErrors` as its formatError): logs each
 * internal error under the request id and puts the id in the masked error.
 */
export function internalErrorLog(fallback: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          logInternalErrors((contextValue as Partial<Context> | undefined)?.log ?? fallback, errors);
        },
        async willSendResponse({ response, contextValue }) {
          const requestId = (contextValue as Partial<Context> | undefined)?.requestId;
          if (!requestId || response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            withRequestId(error, requestId),
          );
        },
      };
    },
  };
}

/** The JSON body of every error the api answers outside GraphQL's own responses. */
export function sendError(
  res: Response,
  status: number,
  message: string,
  extensions: { code: string; [key: string]: unknown },
): void {
  res.status(status).json({ errors: [{ message, extensions }] });
}

/** Routes nobody serves: 404 as JSON (Express's default is an HTML page). */
export const notFound: RequestHandler = (req, res) => {
  sendError(res, 404, `Nothing is served at ${req.method} ${req.path}.`, { code: 'NOT_FOUND' });
};

/** What body-parser's errors (`type`) mean to the caller. */
const BODY_ERRORS: Record<string, { message: string; code: string; limit?: string }> = {
  'entity.too.large': {
    message: `The request body is larger than ${LIMITS.bodyBytes} bytes; the limit is ${LIMITS.bodyBytes}.`,
    code: 'PAYLOAD_TOO_LARGE',
    limit: 'bodyBytes',
  },
  'entity.parse.failed': { message: 'The request body is not valid JSON.', code: 'BAD_REQUEST' },
  'charset.unsupported': { message: "The request body's charset is not supported.", code: 'BAD_REQUEST' },
  'encoding.unsupported': { message: "The request body's encoding is not supported.", code: 'BAD_REQUEST' },
  'request.aborted': { message: 'The request was aborted.', code: 'BAD_REQUEST' },
};

/**
 * Express's last error handler: every error as a JSON body, never Express's HTML page or a
 * stack trace. A client error (4xx from body-parser and the like) says what was wrong; anything
 * else is logged with the request id and answered 500 with a generic message.
 */
export function jsonErrors(log: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, statusCode, type, expose } = (error ?? {}) as {
      status?: unknown;
      statusCode?: unknown;
      type?: unknown;
      expose?: unknown;
    };
    const code = Number(status ?? statusCode);
    if (code >= 400 && code < 500) {
      const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
      const message = known?.message ?? (expose === true ? String((error as Error).message) : 'Bad request.');
      sendError(res, code, message, {
        code: known?.code ?? 'BAD_REQUEST',
        ...(known?.limit ? { limit: known.limit } : {}),
      });
      return;
    }
    log.error({ err: error, requestId: res.locals['requestId'] }, 'internal error');
    sendError(res, 500, 'Internal server error.', { code: 'INTERNAL_SERVER_ERROR' });
  };
}
