/**
 * Database chores shared by `npm start`, `npm run db:migrate` and the test harness: applying the
 * migrations in drizzle/ and creating or dropping a database on a server.
 */
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

/**
 * drizzle/. The same folder as `migrationsFolder` of @rushes/schema/migrations (what the apps
 * compare a database against; test/migrations.int.test.ts checks they agree), defined here too
 * because vitest's global setup loads this file before any workspace package is built.
 */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Session advisory lock held while migrating, so that migrate processes started together (a Job
 * retried while the first still runs, compose and an operator at once) apply each migration once:
 * the second waits, then finds nothing to do.
 */
export const MIGRATION_LOCK_KEY = 7_263_101_714;

/** The messages of an error and of its causes (Drizzle wraps the driver's error). */
export function describeError(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    const text = e instanceof Error ? e.message || (e as { code?: string }).code || e.name : String(e);
    if (!messages.includes(text)) messages.push(text.split('\n')[0] ?? text);
    if (!(e instanceof Error)) break;
  }
  return messages.join(': ');
}

/**
 * Applies every pending migration under MIGRATION_LOCK_KEY; throws (after closing its connection)
 * when one fails.
 */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    // Ended with the connection below, also when a migration fails.
    await migrate(drizzle(client), { migrationsFolder });
  } catch (error) {
    const where = new URL(databaseUrl);
    throw new Error(`migrating ${where.host}${where.pathname} failed: ${describeError(error)}`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The same server URL pointing at another database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Creates `database` on the server of `serverUrl` unless it exists. Returns whether it did. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<boolean> {
  return withClient(withDatabase(serverUrl, 'postgres'), async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount) return false;
    await client.query(`create database ${client.escapeIdentifier(database)}`);
    return true;
  });
}

/**
 * Creates `database` as a copy of `template` (a file-level copy: far quicker than migrating).
 * Fails when anyone is connected to the template.
 */
export async function copyDatabase(serverUrl: string, template: string, database: string): Promise<void> {
  await withClient(withDatabase(serverUrl, 'postgres'), async (client) => {
    await client.query(
      `create database ${client.escapeIdentifier(database)} template ${client.escapeIdentifier(template)}`,
    );
  });
}

/**
 * Drops `database`. Connections to it still open get up to `graceMs` to close first: a pool's
 * end() resolves before its connections have closed, and a connection cut by the forced drop
 * (57P01 "terminating connection due to administrator command") makes its client emit 'error' —
 * an uncaught exception where the pool's error listener rethrows, as the test servers' do. Those
 * still open after `graceMs` are ended by the drop.
 */
export async function dropDatabase(serverUrl: string, database: string, graceMs = 5_000): Promise<void> {
  await withClient(withDatabase(serverUrl, 'postgres'), async (client) => {
    const deadline = Date.now() + graceMs;
    for (;;) {
      const { rows } = await client.query<{ open: number }>(
        'select count(*)::int as open from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [database],
      );
      if (rows[0]!.open === 0 || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await client.query(`drop database if exists ${client.escapeIdentifier(database)} with (force)`);
  });
}
