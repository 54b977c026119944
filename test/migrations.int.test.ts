import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFolder as knownToApps, readMigrationHead, schemaState } from '@rushes/schema/migrations';
import { migrateDatabase, migrationsFolder } from '../scripts/lib/database.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

const run = promisify(execFile);
const databases: TestDatabase[] = [];
afterAll(() => Promise.all(databases.map((d) => d.drop())));

async function tablesOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' order by 1",
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  it('apply to an empty database and create every table of the design', async () => {
    const db = await createTestDatabase({ migrate: false });
    databases.push(db);
    expect(await tablesOf(db.url)).toEqual([]);
    await migrateDatabase(db.url);
    const tables = await tablesOf(db.url);
    for (const table of [
      'users',
      'api_keys',
      'production_members',
      'productions',
      'rolls',
      'clips',
      'renditions',
      'tasks',
      'manifests',
      'audit_events',
    ]) {
      expect(tables).toContain(table);
    }
  });

  it('apply a second time as a no-op', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    await expect(migrateDatabase(db.url)).resolves.toBeUndefined();
  });

  it('run once when started together: the advisory lock makes the second wait, then do nothing', async () => {
    const db = await createTestDatabase({ migrate: false });
    databases.push(db);
    await Promise.all([migrateDatabase(db.url), migrateDatabase(db.url), migrateDatabase(db.url)]);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ applied: string; newest: string }>(
        'select count(*) as applied, max(created_at)::bigint as newest from drizzle.__drizzle_migrations',
      );
      const head = await readMigrationHead();
      const journal = JSON.parse(
        await readFile(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8'),
      ) as {
        entries: unknown[];
      };
      expect(Number(rows[0]?.applied)).toBe(journal.entries.length);
      expect(schemaState(head, Number(rows[0]?.newest)).state).toBe('current');
      expect(knownToApps).toBe(migrationsFolder);
    } finally {
      await client.end();
    }
  });

  it('match the Drizzle tables: generating again produces no new migration', async () => {
    // drizzle-kit takes --out relative to the working directory, so the scratch copy lives inside.
    const root = path.resolve(migrationsFolder, '..');
    await mkdir(path.join(root, '.rushes'), { recursive: true });
    const scratch = await mkdtemp(path.join(root, '.rushes', 'drift-'));
    try {
      await cp(migrationsFolder, scratch, { recursive: true });
      const before = await readdir(scratch);
      const { stdout, stderr } = await run(
        process.execPath,
        [
          path.join(root, 'node_modules/drizzle-kit/bin.cjs'),
          'generate',
          '--dialect=postgresql',
          `--schema=${path.join(root, 'packages/schema/src/tables/index.ts')}`,
          `--out=${path.relative(root, scratch)}`,
        ],
        { cwd: root },
      );
      expect(await readdir(scratch)).toEqual(before);
      expect(stdout + stderr).toMatch(/No schema changes/);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('fail with a clear error, not silently, on an unreachable server', async () => {
    await expect(migrateDatabase('postgres://nobody@127.0.0.1:1/none')).rejects.toThrow(
      /ECONNREFUSED|connect/,
    );
  });
});
