/**
 * Limits on what one operation may ask for, as validation rules run before execution: depth,
 * aliases, and a cost estimate in which a list field costs its page size (`first`, default
 * 50) times its selection. A query over a limit is refused whole, with the limit named.
 */
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLSchema,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { createRequire } from 'node:module';
import type * as QueryComplexity from 'graphql-query-complexity';
import { DEFAULT_PAGE } from './relay.ts';

/**
 * The CommonJS build: the package's ES build imports `graphql/index.mjs` explicitly, a second
 * copy of graphql beside the one our schema is built with ("from another module or realm").
 */
const { getComplexity, simpleEstimator } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof QueryComplexity;
type ComplexityEstimator = QueryComplexity.ComplexityEstimator;

export const LIMITS = { depth: 12, aliases: 30, complexity: 50_000 } as const;

function limitError(message: string, code: string) {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: code } });
}

function depthOf(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let deepest = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(
        deepest,
        selection.selectionSet ? 1 + depthOf(selection.selectionSet, fragments, seen) : 1,
      );
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, seen));
    } else if (!seen.has(selection.name.value)) {
      const fragment = fragments[selection.name.value];
      deepest = Math.max(
        deepest,
        depthOf(fragment?.selectionSet, fragments, new Set([...seen, selection.name.value])),
      );
    }
  }
  return deepest;
}

export function depthLimit(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = Object.fromEntries(
      context
        .getDocument()
        .definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, fragments, new Set());
        if (depth > max)
          context.reportError(limitError(`The query is ${depth} levels deep; the limit is ${max}.`, 'depth'));
      },
    };
  };
}

export function aliasLimit(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Field(node) {
        if (node.alias) count += 1;
      },
      Document: {
        leave() {
          if (count > max)
            context.reportError(
              limitError(`The query uses ${count} aliases; the limit is ${max}.`, 'aliases'),
            );
        },
      },
    };
  };
}

/**
 * A connection costs its page size (`first`, default 50) times its selection. Other lists are
 * small and bounded by their parent (a clip's renditions, a value's conflicts): one each.
 */
const pagedEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!/Connection!?$/.test(String(field.type))) return undefined;
  const first = typeof args['first'] === 'number' ? (args['first'] as number) : DEFAULT_PAGE;
  return 1 + first * childComplexity;
};

/** Depth and alias limits, for the validation step (they need no variables). */
export const limitRules: ValidationRule[] = [depthLimit(LIMITS.depth), aliasLimit(LIMITS.aliases)];

/** Throws when the operation's estimated cost (with its variables) is over the limit. */
export function assertAffordable(
  schema: GraphQLSchema,
  query: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
): void {
  const cost = getComplexity({
    schema,
    query,
    variables: variables ?? {},
    ...(operationName ? { operationName } : {}),
    estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
  if (cost > LIMITS.complexity) {
    throw limitError(
      `The query would cost ${cost} (page sizes × fields); the limit is ${LIMITS.complexity}. Ask for smaller pages or fewer fields.`,
      'complexity',
    );
  }
}
