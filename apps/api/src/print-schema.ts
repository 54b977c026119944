/**
 * The schema as SDL, sorted so it diffs cleanly: `npm run schema:print` writes it to
 * apps/api/schema.graphql, and a test fails when the checked-in file drifts from the code.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildApiSchema } from './schema.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema.graphql', import.meta.url));

export async function printApiSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildApiSchema()))}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, await printApiSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
