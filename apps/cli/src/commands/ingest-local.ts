/** `rushes ingest <dir | s3://bucket/prefix>`: a card straight into the database and store. */
import { clips } from '@rushes/schema/tables';
import { createBlobStore } from '@rushes/storage';
import { asc, eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { createDatabase } from '@rushes/worker/db';
import { importFolder, importRoll, IngestError } from '@rushes/worker/ingest';
import { parseS3Location, storeSource } from '@rushes/worker/sources';
import { localSettings } from './local-settings.ts';
import { bar, printClips, waitForClips } from './report.ts';

export interface IngestFlags {
  production: string;
  roll: string;
  wait: boolean;
  json: boolean;
  settleSeconds: number;
}

export async function ingestLocal(dir: string, flags: IngestFlags): Promise<number> {
  const settings = localSettings();
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
  const bars = !flags.json;
  try {
    const request = {
      productionCode: flags.production,
      rollName: flags.roll,
      settleSeconds: flags.settleSeconds,
      onFile: (done: number, total: number) => bar(bars, 'copying', done, total),
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
    const rows = flags.wait ? await waitForClips(states, bars) : await states();
    if (flags.json) {
      const { rollId, layout, manifests, sidecars } = result;
      console.log(JSON.stringify({ rollId, layout, manifests, sidecars, clips: rows }, null, 2));
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
      printClips(rows);
    }
    return !flags.wait || rows.every((r) => r.state === 'ready') ? 0 : 1;
  } finally {
    await boss.stop({ graceful: false });
    await pool.end();
  }
}
