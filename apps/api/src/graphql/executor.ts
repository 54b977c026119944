/**
 * Operations run by graphql-jit instead of graphql-js's interpreter: each distinct operation is
 * compiled once into plain JavaScript (cached, bounded) and then runs without the per-field
 * dispatch graphql-js pays on every field of every object — on a page of 100 clips with their
 * metadata that dispatch was most of a request's CPU. It plugs into Apollo Server through the
 * gateway interface, Apollo's extension point for a custom executor; parsing, validation, the
 * limits, error masking and plugins stay Apollo's.
 */
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  printSchema,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Distinct operations kept compiled; the least recently used is dropped beyond this. */
export const COMPILED_LIMIT = 500;

export class CompiledOperations {
  private readonly cache = new Map<string, CompiledQuery | ExecutionResult>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limit = COMPILED_LIMIT,
  ) {}

  /** The compiled operation (or the errors compiling it gave), from the cache when it is there. */
  get(key: string, document: DocumentNode, operationName: string | null): CompiledQuery | ExecutionResult {
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const compiled = compileQuery(this.schema, document, operationName ?? undefined);
    this.cache.set(key, compiled);
    if (this.cache.size > this.limit) this.cache.delete(this.cache.keys().next().value!);
    return compiled;
  }

  get size(): number {
    return this.cache.size;
  }
}

export async function executeCompiled(
  operations: CompiledOperations,
  key: string,
  document: DocumentNode,
  operationName: string | null,
  context: unknown,
  variables: Record<string, unknown> | undefined,
): Promise<ExecutionResult> {
  const compiled = operations.get(key, document, operationName);
  if (!isCompiledQuery(compiled)) return compiled;
  const result = await compiled.query(undefined, context, variables ?? {});
  return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
}

/**
 * graphql-jit reports errors with its own GraphQLError look-alike, whose `extensions` is absent
 * when the thrown error had none (a database failure, say); Apollo reads `extensions.code` of
 * every error, so each becomes a graphql-js GraphQLError with its path, locations and cause.
 */
export function asGraphQLError(error: GraphQLError): GraphQLError {
  if (error.extensions) return error;
  const normalized = new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
  });
  (normalized as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return normalized;
}

/** The schema served by Apollo, executed by graphql-jit. */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const operations = new CompiledOperations(schema);
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async load() {
      return {
        executor: (request) =>
          executeCompiled(
            operations,
            `${request.queryHash}:${request.operationName ?? ''}`,
            request.document,
            request.operationName,
            request.context,
            request.request.variables,
          ),
      };
    },
    async stop() {},
  };
}
