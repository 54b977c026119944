/** Every GraphQL example in docs/api.md is valid against the schema: the docs cannot rot. */
import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildApiSchema } from '../src/schema.ts';

const docs = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
const examples = [...docs.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/api.md', () => {
  it('has examples for finding clips, downloading, uploading and following progress', () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
    expect(examples.join('\n')).toMatch(/timecode: "14:03:10:00"/);
  });

  it.each(examples.map((text, i) => [i + 1, text] as const))(
    'example %i validates against the schema',
    async (_i, text) => {
      const errors = validate(await buildApiSchema(), parse(text));
      expect(errors.map((e) => e.message)).toEqual([]);
    },
  );
});
