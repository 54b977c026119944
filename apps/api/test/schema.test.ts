import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../src/auth/ids.ts';
import { printApiSchema, SCHEMA_FILE } from '../src/print-schema.ts';

describe('apps/api/schema.graphql', () => {
  it('is the schema the code builds (run `npm run schema:print` after changing types)', async () => {
    const printed = await printApiSchema();
    const checkedIn = readFileSync(SCHEMA_FILE, 'utf8');
    expect(checkedIn === printed, 'apps/api/schema.graphql is out of date: run `npm run schema:print`').toBe(
      true,
    );
  });

  it('has the Relay Node interface implemented by every entity the API issue names', async () => {
    const printed = await printApiSchema();
    for (const type of NODE_TYPES) {
      expect(printed).toMatch(new RegExp(`type ${type} implements Node \\{`));
    }
  });
});
