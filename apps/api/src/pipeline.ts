/**
 * One request pipeline for both transports. An operation over HTTP (Apollo) and one over the
 * WebSocket (graphql-ws) get their request id, context (token → access, 401 for a bad token),
 * per-caller rate limit, error masking and logging from here; server.ts only adapts each
 * transport's hooks to it.
 */
import { randomUUID } from 'node:crypto';
import { HeaderMap } from '@apollo/server';
import {
  GraphQLError,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Logger } from 'pino';
import type { Access } from './auth/access.ts';
import { InvalidTokenError } from './auth/sessions.ts';
import { createContext, type AccessLookUp, type ApiDeps, type Context } from './context.ts';
import { presentErrors } from './errors.ts';
import { assertAffordable, parseOperation, shapeLimitRule } from './graphql/limits.ts';
import { rateLimitedError, type RateLimits } from './rate-limits.ts';

/** A request id: the caller's X-Request-Id when it is a sane token, else a new one. */
export function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

export interface OperationRequest {
  authorization: string | undefined;
  requestId: string;
  clientAddress: string | undefined;
}

/** An error of the caller's operation text, with the code Apollo gives it over HTTP. */
function coded(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions['code']) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code },
  });
}

/**
 * The operation parsed, validated and within the limits Apollo applies over HTTP (graphql/limits.ts),
 * in the same order; or the caller's errors, coded as Apollo codes them.
 */
export function checkOperation(
  schema: GraphQLSchema,
  operation: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
): DocumentNode | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parseOperation(operation.query);
  } catch (error) {
    if (error instanceof GraphQLError) return [coded(error, 'GRAPHQL_PARSE_FAILED')];
    throw error;
  }
  const errors = validate(schema, document, [...specifiedRules, shapeLimitRule]);
  if (errors.length > 0) return errors.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED'));
  try {
    assertAffordable(schema, document, operation.variables ?? undefined, operation.operationName);
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  return document;
}

/** Any thrown value as a GraphQLError; one without a public code is masked when presented. */
export function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const original = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(original.message, { originalError: original });
}

export class RequestPipeline {
  constructor(
    private readonly deps: ApiDeps,
    private readonly limits: RateLimits,
    /** Token → access, through the server's cache (cached-reads.ts). */
    readonly access: AccessLookUp,
  ) {}

  /**
   * The operation's context. An invalid or expired token is the caller's problem, said as such
   * (UNAUTHENTICATED, HTTP 401); a caller past its own rate limit is RATE_LIMITED (HTTP 429 with
   * Retry-After). Over the WebSocket the `http` extension is dropped when presented.
   */
  async context(request: OperationRequest): Promise<Context> {
    let context: Context;
    try {
      context = await createContext(this.deps, request, this.access);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        throw new GraphQLError(error.message, {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      throw error;
    }
    await this.admit(context.access);
    return context;
  }

  /** Counts a request against the caller's own rate limit; RATE_LIMITED (HTTP 429) past it. */
  async admit(access: Access): Promise<void> {
    const verdict = await this.limits.caller(access);
    if (!verdict.allowed) {
      const retryAfter = String(verdict.retryAfterSeconds);
      throw rateLimitedError(verdict, {
        http: { status: 429, headers: new HeaderMap([['retry-after', retryAfter]]) },
      });
    }
  }

  /** The log of one operation: every line carries its request id. */
  log(requestId: string): Logger {
    return this.deps.log.child({ requestId });
  }

  /** What the caller sees of errors: public ones as written; internal ones logged, masked, with the id. */
  present(errors: readonly GraphQLError[], requestId: string, log?: Logger): GraphQLFormattedError[] {
    return presentErrors(errors, log ?? this.log(requestId), requestId);
  }
}
