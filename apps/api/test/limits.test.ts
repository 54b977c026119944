/**
 * The query limits as pure functions: the shape walk (fields counted as expanded, depth, aliases)
 * stays linear on fragment bombs, the tokens limit is said as such, and the shape rule keeps the
 * rest of validation from working on a refused document.
 */
import {
  buildSchema,
  getIntrospectionQuery,
  parse,
  specifiedRules,
  validate,
  type GraphQLError,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  measureDocument,
  parseOperation,
  SATURATED,
  shapeLimitError,
  shapeLimitRule,
  tokenLimitError,
} from '../src/graphql/limits.ts';

const schema = buildSchema(`
  type Query { health: Health!, node(id: ID!): Node }
  type Health { ok: Boolean!, version: String! }
  type Node { id: ID!, parent: Node }
`);

/** `F0` spreads `F1` twice, … `F(n-1)` holds one field: 2^(n-1) fields once expanded. */
function fragmentBomb(n: number): string {
  const fragments = Array.from({ length: n }, (_, i) =>
    i < n - 1
      ? `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`
      : `fragment F${i} on Query { __typename }`,
  );
  return `query { ...F0 } ${fragments.join(' ')}`;
}

function errorOf(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected an error');
}

describe('measureDocument', () => {
  it('counts every field, depth in nested fields, and aliases', () => {
    expect(measureDocument(parse('{ a: health { ok } b: health { ok version } }'))).toEqual({
      fields: 5,
      depth: 2,
      aliases: 2,
    });
  });

  it('counts a fragment each time it is spread, inline fragments as their fields', () => {
    const doc = parse(`
      query { health { ...H } again: health { ...H ... on Health { ok } } }
      fragment H on Health { ok v: version }
    `);
    // health, again, 2 × (ok, version), ok
    expect(measureDocument(doc)).toEqual({ fields: 7, depth: 2, aliases: 3 });
  });

  it('counts the fields of a fragment nobody spreads (validation walks it too)', () => {
    expect(measureDocument(parse('{ health { ok } } fragment Unused on Health { ok version }')).fields).toBe(
      4,
    );
  });

  it('measures a fragment bomb in time linear in its text, its count saturated', () => {
    const started = performance.now();
    const shape = measureDocument(parse(fragmentBomb(200)));
    expect(performance.now() - started).toBeLessThan(50);
    expect(shape.fields).toBe(SATURATED);
    expect(measureDocument(parse(fragmentBomb(11))).fields).toBe(1024);
  });

  it('cuts fragment cycles and unknown fragments instead of looping', () => {
    const doc = parse(`
      query { ...A ...Missing }
      fragment A on Query { health { ok } ...B }
      fragment B on Query { ...A __typename }
    `);
    expect(measureDocument(doc)).toEqual({ fields: 3, depth: 2, aliases: 0 });
  });
});

describe('shapeLimitError', () => {
  it('names the first limit a document is over', () => {
    expect(shapeLimitError({ fields: LIMITS.fields, depth: LIMITS.depth, aliases: LIMITS.aliases })).toBe(
      undefined,
    );
    const fields = shapeLimitError({ fields: LIMITS.fields + 1, depth: 99, aliases: 99 });
    expect(fields?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'fields' });
    expect(fields?.message).toBe(
      `The query selects ${LIMITS.fields + 1} fields (a fragment counts each time it is spread); the limit is ${LIMITS.fields}.`,
    );
    expect(shapeLimitError({ fields: 1, depth: LIMITS.depth + 1, aliases: 0 })?.extensions['limit']).toBe(
      'depth',
    );
    expect(shapeLimitError({ fields: 1, depth: 1, aliases: LIMITS.aliases + 1 })?.extensions['limit']).toBe(
      'aliases',
    );
    expect(shapeLimitError({ fields: SATURATED, depth: 1, aliases: 0 })?.message).toMatch(
      /^The query selects more than 1000000000 fields/,
    );
  });
});

describe('the tokens limit', () => {
  const wide = `{ ${'health { ok } '.repeat(40_000)} }`;

  it('stops the lexer early and says the limit, for a 560 KB query', () => {
    const started = performance.now();
    const error = errorOf(() => parseOperation(wide));
    expect(performance.now() - started).toBeLessThan(100);
    expect(error.message).toBe(
      `The query has more than ${LIMITS.tokens} tokens (names, punctuation and values); the limit is ${LIMITS.tokens}.`,
    );
    expect(error.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'tokens' });
  });

  it('recognises graphql-js’s own message (as Apollo reports it), and nothing else', () => {
    const raw = errorOf(() => parse(wide, { maxTokens: LIMITS.tokens }));
    expect(tokenLimitError(`Syntax Error: ${raw.message}`)?.extensions['limit']).toBe('tokens');
    expect(tokenLimitError('Syntax Error: Expected Name, found <EOF>.')).toBe(undefined);
  });

  it('passes syntax errors through and parses what is within the limit', () => {
    expect(errorOf(() => parseOperation('{ health {')).message).toMatch(/^Syntax Error/);
    expect(parseOperation('{ health { ok } }').definitions).toHaveLength(1);
  });

  it('leaves room for GraphiQL’s introspection query', () => {
    const document = parseOperation(
      getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
    );
    expect(shapeLimitError(measureDocument(document))).toBe(undefined);
  });
});

describe('shapeLimitRule', () => {
  it('reports the limit, and the rest of validation does nothing more on that document', () => {
    const bomb = parse(fragmentBomb(40));
    const started = performance.now();
    const errors = validate(schema, bomb, [...specifiedRules, shapeLimitRule]);
    expect(performance.now() - started).toBeLessThan(200);
    expect(errors.map((e) => e.extensions['limit'])).toEqual(['fields']);
  });

  it('refuses a query too deep and leaves a valid one alone', () => {
    const deep = `{ node(id: "1") { ${'parent { '.repeat(LIMITS.depth)}id${' }'.repeat(LIMITS.depth)} } }`;
    const errors = validate(schema, parse(deep), [...specifiedRules, shapeLimitRule]);
    expect(errors.map((e) => e.message)).toEqual([
      `The query is ${LIMITS.depth + 2} levels deep; the limit is ${LIMITS.depth}.`,
    ]);
    expect(validate(schema, parse('{ health { ok } }'), [...specifiedRules, shapeLimitRule])).toEqual([]);
  });
});
