/**
 * Limits on what one operation may ask for, checked from the cheapest to the dearest so that a
 * hostile document costs little more than reading it:
 *
 * 1. body size (express.json, `LIMITS.bodyBytes`): larger bodies are not even parsed as JSON;
 * 2. tokens (`PARSE_OPTIONS.maxTokens`): graphql-js's lexer stops at the limit, so an 860 KB
 *    query is refused after its first few thousand tokens rather than parsed whole;
 * 3. the document's shape (`shapeLimitRule`, before validation does any real work): expanded
 *    field count, depth and aliases, in one walk that measures each fragment once — a "fragment
 *    bomb" whose expansion doubles with each fragment is refused in time linear in its text;
 * 4. cost (`assertAffordable`, once the operation and its variables are known): a list field
 *    costs its page size (`first`, default 50) times its selection.
 *
 * A query over a limit is refused whole with code GRAPHQL_VALIDATION_FAILED, the limit named in
 * `extensions.limit`.
 */
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type ParseOptions,
  type SelectionSetNode,
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

/**
 * The largest query the web app sends has 377 tokens; GraphiQL's introspection query 183 tokens
 * and 226 fields. Parsing stops after 2,000 tokens (~3 ms even inside an 860 KB query; parsed
 * whole, that query took 640 ms); validating the worst document within these limits (the same
 * field 1,000 times) takes ~50 ms.
 */
export const LIMITS = {
  /** Bytes of a JSON request body (query and variables). */
  bodyBytes: 1_048_576,
  tokens: 2_000,
  /** Fields selected, a fragment counted each time it is spread. */
  fields: 1_000,
  depth: 12,
  aliases: 30,
  complexity: 50_000,
} as const;

export type LimitName = keyof typeof LIMITS;

/** graphql-js parse options, the same for HTTP (Apollo's `parseOptions`) and WebSocket. */
export const PARSE_OPTIONS: ParseOptions = { maxTokens: LIMITS.tokens };

export function limitError(message: string, limit: LimitName): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit } });
}

/**
 * The tokens limit error for graphql-js's "Document contains more that N tokens" syntax error
 * (the lexer gave up at `PARSE_OPTIONS.maxTokens`), undefined for any other error.
 */
export function tokenLimitError(message: string): GraphQLError | undefined {
  if (!/Document contains more tha[nt] \d+ tokens/.test(message)) return undefined;
  return limitError(
    `The query has more than ${LIMITS.tokens} tokens (names, punctuation and values); the limit is ${LIMITS.tokens}.`,
    'tokens',
  );
}

/** What validation and execution would walk: fragments counted as expanded. */
export interface DocumentShape {
  /** Fields of every operation, and of fragments no one spreads, fragments expanded. */
  fields: number;
  /** The deepest operation, in nested fields. */
  depth: number;
  /** Aliased fields, fragments expanded. */
  aliases: number;
}

/** Counts stop growing here: a fragment bomb's 2^10000 fields stay a finite number. */
export const SATURATED = 1_000_000_000;
const add = (a: number, b: number) => Math.min(a + b, SATURATED);
const EMPTY: DocumentShape = { fields: 0, depth: 0, aliases: 0 };

/**
 * Pure: the document's shape, in time linear in its size (each fragment is measured once and
 * reused wherever it is spread). A spread that closes a cycle, or names no fragment, counts
 * nothing here; validation reports it. Introspection's `ofType` (the one type a list or non-null
 * wraps) adds no depth: GraphiQL's schema query nests it 7 times, and a level of it can never
 * fan out (our schema has no field of that name).
 */
export function measureDocument(document: DocumentNode): DocumentShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const spread = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, DocumentShape>();
  const measuring = new Set<string>();

  function fragmentShape(name: string): DocumentShape {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || measuring.has(name)) return EMPTY;
    measuring.add(name);
    const shape = selectionShape(fragment.selectionSet);
    measuring.delete(name);
    measured.set(name, shape);
    return shape;
  }

  function selectionShape(set: SelectionSetNode): DocumentShape {
    let fields = 0;
    let depth = 0;
    let aliases = 0;
    for (const selection of set.selections) {
      let inner: DocumentShape;
      if (selection.kind === Kind.FIELD) {
        inner = selection.selectionSet ? selectionShape(selection.selectionSet) : EMPTY;
        fields = add(fields, 1);
        if (selection.alias) aliases = add(aliases, 1);
        depth = Math.max(depth, (selection.name.value === 'ofType' ? 0 : 1) + inner.depth);
      } else {
        if (selection.kind === Kind.FRAGMENT_SPREAD) spread.add(selection.name.value);
        inner =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selectionShape(selection.selectionSet)
            : fragmentShape(selection.name.value);
        depth = Math.max(depth, inner.depth);
      }
      fields = add(fields, inner.fields);
      aliases = add(aliases, inner.aliases);
    }
    return { fields, depth, aliases };
  }

  let total = EMPTY;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape = selectionShape(definition.selectionSet);
    total = {
      fields: add(total.fields, shape.fields),
      depth: Math.max(total.depth, shape.depth),
      aliases: add(total.aliases, shape.aliases),
    };
  }
  // Fragments nobody spreads are still validated: their fields count too (not their depth).
  for (const name of fragments.keys()) {
    fragmentShape(name);
  }
  for (const name of fragments.keys()) {
    if (spread.has(name)) continue;
    const shape = measured.get(name) ?? EMPTY;
    total = { ...total, fields: add(total.fields, shape.fields), aliases: add(total.aliases, shape.aliases) };
  }
  return total;
}

const count = (n: number) => (n >= SATURATED ? `more than ${SATURATED}` : String(n));

/** Pure: the first shape limit the document is over, as the error to answer with. */
export function shapeLimitError(shape: DocumentShape): GraphQLError | undefined {
  if (shape.fields > LIMITS.fields)
    return limitError(
      `The query selects ${count(shape.fields)} fields (a fragment counts each time it is spread); the limit is ${LIMITS.fields}.`,
      'fields',
    );
  if (shape.depth > LIMITS.depth)
    return limitError(`The query is ${shape.depth} levels deep; the limit is ${LIMITS.depth}.`, 'depth');
  if (shape.aliases > LIMITS.aliases)
    return limitError(
      `The query uses ${count(shape.aliases)} aliases; the limit is ${LIMITS.aliases}.`,
      'aliases',
    );
  return undefined;
}

/**
 * The fields, depth and aliases limits as a validation rule, listed after graphql-js's own rules
 * (Apollo appends its `validationRules` to them). Its Document visitor runs before any rule walks
 * into the operations; over a limit it reports the error and hands validation an empty document
 * in place of the real one (a visitor may replace the node it visits), so no other rule — the
 * quadratic overlapping-fields check among them — spends anything on a document already refused.
 */
export const shapeLimitRule: ValidationRule = (context) => ({
  Document(node) {
    const error = shapeLimitError(measureDocument(node));
    if (!error) return undefined;
    context.reportError(error);
    const nothing: DocumentNode = { kind: Kind.DOCUMENT, definitions: [] };
    return nothing;
  },
});

/**
 * Parses an operation within the tokens limit (the WebSocket path; Apollo gets `PARSE_OPTIONS`
 * and says the limit in `maskErrors`). Throws a GraphQLError: the limit's, or a syntax error.
 */
export function parseOperation(source: string): DocumentNode {
  try {
    return parse(source, PARSE_OPTIONS);
  } catch (error) {
    throw tokenLimitError((error as Error).message) ?? error;
  }
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

/** Throws when the operation's estimated cost (with its variables) is over the limit. */
export function assertAffordable(
  schema: GraphQLSchema,
  query: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
): void {
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query,
      variables: variables ?? {},
      ...(operationName ? { operationName } : {}),
      estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    // Estimating coerces the variables first: a value of the wrong type is the caller's error
    // (it was an INTERNAL_SERVER_ERROR, found by the authorization matrix).
    if (error instanceof GraphQLError)
      throw new GraphQLError(error.message, {
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      });
    throw error;
  }
  if (cost > LIMITS.complexity) {
    throw limitError(
      `The query would cost ${cost} (page sizes × fields); the limit is ${LIMITS.complexity}. Ask for smaller pages or fewer fields.`,
      'complexity',
    );
  }
}
