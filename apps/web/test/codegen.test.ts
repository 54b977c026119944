/** The checked-in typed operations (src/gql) are what codegen makes of today's schema and queries. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.ts';

const web = fileURLToPath(new URL('..', import.meta.url));

describe('apps/web/src/gql', () => {
  it('is up to date with the schema and the operations (run `npm run codegen -w @rushes/web`)', async () => {
    const outputs = (await generate({ ...config, cwd: web, silent: true }, false)) as {
      filename: string;
      content: string;
    }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const onDisk = readFileSync(path.resolve(web, output.filename), 'utf8');
      expect(onDisk === output.content, `${output.filename} is out of date`).toBe(true);
    }
  }, 60_000);
});
