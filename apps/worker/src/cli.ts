#!/usr/bin/env node
/**
 * rushes — the platform from a shell.
 *
 *   rushes ingest <dir | s3://bucket/prefix> --production <code> --roll <name> [--wait] [--json]
 *
 * An s3:// location is read with the S3_* settings (endpoint, path style, credentials): the same
 * bucket as the platform's store or another one the camera department uploaded to.
 * Reads the same settings as the worker (DATABASE_URL, STORAGE_*, S3_*). With none set, it uses
 * the platform `npm start` is running (its connection file in RUSHES_DATA_DIR, default .rushes/).
 * Exit status: 0 when every clip is ready (or, without --wait, imported), 1 otherwise, 2 on a
 * usage error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databaseUrl, parseSettings, settingsOrExit } from '@rushes/schema/settings';
import { clips } from '@rushes/schema/tables';
import { createBlobStore, storageProblems, storageSettings } from '@rushes/storage';
import { asc, eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { createDatabase } from './db.ts';
import { importFolder, importRoll, IngestError } from './ingest.ts';
import { parseS3Location, storeSource } from './sources.ts';

const USAGE =
  'usage: rushes ingest <dir | s3://bucket/prefix> --production <code> --roll <name> [--wait] [--json] [--settle <seconds, default 2>]';

/** What `npm start` wrote for local tools: its database and store. */
export const CONNECTION_FILE = 'connection.json';

function platformDefaults(env: NodeJS.ProcessEnv): Record<string, string> {
  const dir = path.resolve(env['RUSHES_DATA_DIR'] ?? '.rushes');
  try {
    return JSON.parse(readFileSync(path.join(dir, CONNECTION_FILE), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

const settings = settingsOrExit(() =>
  parseSettings(
    'rushes',
    { DATABASE_URL: databaseUrl(), ...storageSettings, RUSHES_DATA_DIR: z.string().optional() },
    { ...platformDefaults(process.env), ...process.env },
    storageProblems,
  ),
);

const { values: flags, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        production: { type: 'string' },
        roll: { type: 'string' },
        wait: { type: 'boolean', default: false },
        settle: { type: 'string', default: '2' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
})();

function bar(label: string, done: number, total: number): void {
  if (!process.stderr.isTTY || flags.json) return;
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : 0;
  process.stderr.write(
    `\r${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
  );
  if (done >= total) process.stderr.write('\n');
}

async function main(): Promise<number> {
  const [command, dir] = positionals;
  const settleSeconds = Number(flags.settle);
  if (command !== 'ingest' || !dir || !flags.production || !flags.roll || !(settleSeconds >= 0)) {
    console.error(USAGE);
    return 2;
  }
  const { db, pool } = createDatabase(settings.DATABASE_URL, 2, (error) =>
    console.error(`rushes: lost a database connection (${error.message}); retrying`),
  );
  const boss = new PgBoss({
    connectionString: settings.DATABASE_URL,
    supervise: false,
    schedule: false,
    max: 2,
  });
  await boss.start();
  const store = createBlobStore(settings);
  try {
    const request = {
      productionCode: flags.production,
      rollName: flags.roll,
      settleSeconds,
      onFile: (done: number, total: number) => bar('copying', done, total),
    };
    const bucket = parseS3Location(dir);
    if (dir.startsWith('s3://') && !bucket)
      throw new IngestError(`${dir} is not an s3://bucket/prefix location`);
    const result = bucket
      ? await importRoll(
          { db, pool, store, boss },
          storeSource(
            createBlobStore({ ...settings, STORAGE_DRIVER: 's3', S3_BUCKET: bucket.bucket, S3_PREFIX: '' }),
            bucket.prefix,
            dir,
          ),
          request,
        )
      : await importFolder({ db, pool, store, boss }, { ...request, dir });
    const states = async () =>
      db
        .select({
          path: clips.originalPath,
          state: clips.state,
          errorCode: clips.errorCode,
          errorMessage: clips.errorMessage,
        })
        .from(clips)
        .where(eq(clips.rollId, result.rollId))
        .orderBy(asc(clips.originalPath));
    let rows = await states();
    if (flags.wait) {
      for (;;) {
        const done = rows.filter(
          (r) => r.state === 'ready' || r.state === 'failed' || r.state === 'partial',
        ).length;
        bar('processing', done, rows.length);
        if (done === rows.length) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
        rows = await states();
      }
    }
    if (flags.json) {
      const report = {
        rollId: result.rollId,
        layout: result.layout,
        manifests: result.manifests,
        sidecars: result.sidecars,
        clips: rows,
      };
      console.log(JSON.stringify(report, null, 2));
    } else {
      const checked = result.manifests.length
        ? `checked against ${result.manifests.join(', ')}`
        : 'no manifest';
      const kept = result.sidecars.length ? `, ${result.sidecars.length} sidecar file(s) kept` : '';
      const { layout } = result;
      const unit = layout.cameraUnit ? `, camera ${layout.cameraUnit}` : '';
      console.log(`roll ${flags.roll} (${result.rollId}): ${rows.length} clips${kept}, ${checked}`);
      console.log(`  card: ${layout.layout} (${layout.kind}${unit})`);
      for (const { clip, files } of layout.multiFileClips)
        console.log(`  note: ${clip} is recorded as ${files.length} files; each is checked on its own`);
      for (const r of rows) {
        const error = r.errorCode ? `  ${r.errorCode}: ${r.errorMessage}` : '';
        console.log(`  ${r.state.toUpperCase().padEnd(10)} ${r.path}${error}`);
      }
    }
    return !flags.wait || rows.every((r) => r.state === 'ready') ? 0 : 1;
  } finally {
    await boss.stop({ graceful: false });
    await pool.end();
  }
}

main().then(
  (status) => process.exit(status),
  (error: Error) => {
    console.error(error instanceof IngestError ? `rushes: ${error.message}` : error);
    process.exit(1);
  },
);
