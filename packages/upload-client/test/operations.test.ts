/** The client's operations are valid against the api's printed schema (`npm run schema:print`). */
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/upload.ts';

const schema = buildSchema(
  readFileSync(new URL('../../../apps/api/schema.graphql', import.meta.url), 'utf8'),
);

describe('the upload client’s GraphQL operations', () => {
  it.each(OPERATIONS.map((op) => [/^\w+ (\w+)/.exec(op)![1]!, op]))(
    '%s validates against the schema',
    (_name, op) => {
      expect(validate(schema, parse(op)).map((e) => e.message)).toEqual([]);
    },
  );
});
