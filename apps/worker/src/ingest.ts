/**
 * Importing a folder (a camera card or a sound roll) as a roll: its manifests are recorded,
 * every file is copied into the store and becomes a clip, and each clip's verify job is queued
 * in the same transaction as its row, so no clip is ever left without its job.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  detectCardLayout,
  listFiles,
  mergeGenerations,
  parseMhlV1,
  readHistory,
  type CardLayout,
  type ManifestEntry,
} from '@rushes/engine';
import type { BlobStore } from '@rushes/storage';
import type pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { LANES } from '@rushes/schema/jobs';
import { folderSource, isManifestFile, type IngestSource } from './sources.ts';
import { waitUntilStable } from './stability.ts';
import { storedFilesOfRoll, storeClip as storeClipRow } from '@rushes/data/clips';
import { withTransaction, type Database } from '@rushes/data/db';
import { recordManifest } from '@rushes/data/manifests';
import { productionByCode } from '@rushes/data/productions';
import { claimRollForImport, createRoll, recordImportProgress, recountImport } from '@rushes/data/rolls';
import { settleRoll } from '@rushes/data/states';
import { queueTask } from '@rushes/data/tasks';

export class IngestError extends Error {
  override name = 'IngestError';
}

export interface IngestDeps {
  db: Database;
  pool: pg.Pool;
  store: BlobStore;
  boss: PgBoss;
}

export interface IngestRequest {
  dir: string;
  productionCode: string;
  rollName: string;
  /**
   * Fill this existing, empty roll (created through the api) instead of creating one named
   * `rollName`; its production must be `productionCode`.
   */
  rollId?: string;
  /** Seconds the card's files must stay unchanged before they are taken. Default: 0 (no wait). */
  settleSeconds?: number;
  /** Longest wait for a card to settle, in seconds. Default: 600. */
  settleTimeoutSeconds?: number;
  onFile?: (done: number, total: number, file: string) => void;
}

export interface IngestResult {
  rollId: string;
  productionId: string;
  clips: { id: string; path: string }[];
  /** Other files of the card (camera XML, LUTs, reports): kept in the store, not clips. */
  sidecars: string[];
  manifests: string[];
  /** The card's layout (vendor folder structure, sound or camera, camera unit). */
  layout: CardLayout;
  /** Clips an earlier, interrupted attempt had already stored (skipped this time). */
  resumed: number;
}

/** A card file into the store: copied by the store itself where it can, else read and written. */
async function copyFile(
  store: BlobStore,
  source: IngestSource,
  relative: string,
  key: string,
): Promise<{ size: number }> {
  return (await source.copyTo?.(relative, store, key)) ?? store.put(key, await source.read(relative));
}

/**
 * One card file into the store and the roll: its row (upserted: a file that changed since an
 * earlier attempt is stored again and re-checked), its verify task and job, in one transaction.
 */
async function storeClip(
  deps: IngestDeps,
  file: { productionId: string; rollId: string; relative: string; source: IngestSource },
): Promise<{ id: string; path: string }> {
  const { productionId, rollId, relative } = file;
  const key = `productions/${productionId}/rolls/${rollId}/original/${relative}`;
  const { size } = await copyFile(deps.store, file.source, relative, key);
  return withTransaction(deps.pool, async (tx, client) => {
    // `processing`: its verify job is queued with it.
    const clipId = await storeClipRow(tx, {
      rollId,
      productionId,
      fileName: path.posix.basename(relative),
      originalPath: relative,
      objectKey: key,
      sizeBytes: size,
    });
    await queueTask(tx, clipId, 'verify');
    await deps.boss.send(
      'clip.verify',
      { clipId, lane: 'ingest' },
      {
        priority: LANES.ingest,
        db: { executeSql: (text: string, values?: unknown[]) => client.query(text, values) },
      },
    );
    return { id: clipId, path: relative };
  });
}

/** Extensions of files that become clips; everything else on a card is kept as a sidecar. */
const MEDIA = new Set(
  'mov mp4 m4v mxf mts m2ts avi mkv r3d braw ari arx crm cr3 nev dng dpx exr tif tiff cin wav bwf aif aiff w64 rf64 mp3 m4a'.split(
    ' ',
  ),
);

/** Pure: whether a card file becomes a clip. */
export function isMediaFile(relativePath: string): boolean {
  return MEDIA.has(path.posix.extname(relativePath).slice(1).toLowerCase());
}

/** The card's manifests: its ascmhl/ history, else its legacy .mhl files (paths made card-relative). */
async function readManifests(
  dir: string,
): Promise<{ format: 'ascmhl-v1' | 'ascmhl-v2'; path: string; entries: ManifestEntry[] }[]> {
  const history = await readHistory(dir);
  if (history && history.generations.length > 0) {
    const last = history.generations.at(-1)!;
    return [
      {
        format: 'ascmhl-v2',
        path: `ascmhl/${last.fileName}`,
        entries: mergeGenerations(
          history.generations.map((g) => ({ source: g.fileName, entries: g.generation.entries })),
        ).map(({ source: _source, ...entry }) => entry),
      },
    ];
  }
  const all = await listFiles(dir, { skipMhl: false });
  const found = [];
  for (const file of all.filter((f) => f.toLowerCase().endsWith('.mhl'))) {
    const parsed = parseMhlV1(await readFile(path.join(dir, file)));
    // The engine keeps reading past a bad entry (so `verify` reports the rest); an import must
    // not: the files it names would be stored without the hash the card's manifest promised.
    if (parsed.problems.length > 0) {
      const listed = parsed.problems
        .slice(0, 5)
        .map((p) => `entry ${p.entry}${p.file ? ` (${p.file})` : ''}: ${p.message}`)
        .join('; ');
      const more = parsed.problems.length > 5 ? ` and ${parsed.problems.length - 5} more` : '';
      throw new IngestError(`${file} has entries that cannot be used: ${listed}${more}`);
    }
    const folder = path.posix.dirname(file);
    found.push({
      format: 'ascmhl-v1' as const,
      path: file,
      entries: parsed.entries.map((e) => ({ ...e, path: folder === '.' ? e.path : `${folder}/${e.path}` })),
    });
  }
  return found;
}

/**
 * An api-created roll takes the card, or takes it again after an interrupted attempt: the count
 * of files to import is recorded, so progress and what is missing can be told.
 */
async function claimRoll(
  db: Database,
  rollId: string,
  location: string,
  layout: CardLayout,
  total: number,
): Promise<string> {
  const claimed = await claimRollForImport(db, rollId, {
    location,
    kind: layout.kind,
    cameraUnit: layout.cameraUnit ?? null,
    filesTotal: total,
  });
  if (!claimed) throw new IngestError('the roll was deleted before its import started');
  return rollId;
}

/** How often a running import writes its count of stored files. */
const PROGRESS_EVERY_MS = 500;

/** Imports a server folder as a roll (see importRoll). */
export async function importFolder(deps: IngestDeps, request: IngestRequest): Promise<IngestResult> {
  const dir = path.resolve(request.dir);
  if (!(await stat(dir).catch(() => undefined))?.isDirectory())
    throw new IngestError(`${request.dir} is not a folder`);
  return importRoll(deps, folderSource(dir), request);
}

/** What an import takes from the card, and the roll it fills. */
interface ImportPlan {
  rollId: string;
  productionId: string;
  /** The card's media files (each becomes a clip), sorted. */
  files: string[];
  /** The card's other files and its ascmhl/ history: stored next to the clips, not clips. */
  others: string[];
  sidecars: string[];
  sizes: Map<string, number>;
  manifests: string[];
  layout: CardLayout;
}

/**
 * The first step of every import: the card listed (after it has settled), its manifests read and
 * recorded, the roll created or claimed with the count of files to import.
 */
async function planImport(
  deps: IngestDeps,
  source: IngestSource,
  request: Omit<IngestRequest, 'dir'>,
): Promise<ImportPlan> {
  const production = await productionByCode(deps.db, request.productionCode);
  if (!production) throw new IngestError(`no production with code ${request.productionCode}`);
  const rollName = request.rollName.trim();
  if (!/^[\w.-]{1,64}$/.test(rollName))
    throw new IngestError(`"${request.rollName}" is not a valid roll name (letters, digits, . _ -)`);

  let listed = await source.list();
  if (request.settleSeconds) {
    try {
      listed = await waitUntilStable(
        () => source.list(),
        request.settleSeconds * 1000,
        (request.settleTimeoutSeconds ?? 600) * 1000,
      );
    } catch (error) {
      throw new IngestError(`${source.location} is ${(error as Error).message}: is it still being copied?`);
    }
  }
  const all = listed.map((f) => f.path).filter((f) => !isManifestFile(f));
  const files = all.filter(isMediaFile);
  const sidecars = all.filter((f) => !isMediaFile(f));
  if (files.length === 0) throw new IngestError(`${source.location} holds no media files`);
  const cardManifests = await source.withManifests(readManifests);
  const layout = detectCardLayout(listed.map((f) => f.path));

  const history = listed.map((f) => f.path).filter((f) => /(^|\/)ascmhl\//i.test(f));
  const total = files.length + sidecars.length + history.length;

  let rollId: string;
  if (request.rollId) {
    rollId = await claimRoll(deps.db, request.rollId, source.location, layout, total);
  } else
    try {
      const roll = await createRoll(deps.db, {
        productionId: production.id,
        name: rollName,
        sourceLocation: source.location,
        kind: layout.kind,
        cameraUnit: layout.cameraUnit ?? null,
        importFilesTotal: total,
        importFilesDone: 0,
      });
      rollId = roll.id;
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === '23505') {
        throw new IngestError(
          `roll ${rollName} already exists in production ${request.productionCode.toUpperCase()}`,
        );
      }
      throw error;
    }
  // Idempotent: a retried import records the same manifests once.
  for (const m of cardManifests) await recordManifest(deps.db, rollId, m);
  return {
    rollId,
    productionId: production.id,
    files,
    others: [...sidecars, ...history],
    sidecars,
    sizes: new Map(listed.map((f) => [f.path, f.size])),
    manifests: cardManifests.map((m) => m.path),
    layout,
  };
}

/**
 * Stores card media files as clips. A file that is already a clip of the roll with the card's
 * size was stored and queued whole (one transaction) by an earlier attempt and is skipped.
 */
async function storeMediaFiles(
  deps: IngestDeps,
  source: IngestSource,
  plan: Pick<ImportPlan, 'rollId' | 'productionId'> & { sizes: ReadonlyMap<string, number> },
  files: readonly string[],
  onStored?: (relative: string) => Promise<void>,
): Promise<{ created: IngestResult['clips']; skipped: IngestResult['clips'] }> {
  const existing = new Map((await storedFilesOfRoll(deps.db, plan.rollId)).map((c) => [c.path, c]));
  const created: IngestResult['clips'] = [];
  const skipped: IngestResult['clips'] = [];
  for (const relative of files) {
    const already = existing.get(relative);
    if (already && already.size === plan.sizes.get(relative)) {
      skipped.push({ id: already.id, path: relative });
    } else {
      created.push(
        await storeClip(deps, { productionId: plan.productionId, rollId: plan.rollId, relative, source }),
      );
    }
    await onStored?.(relative);
  }
  return { created, skipped };
}

/** Stores the card's other files (sidecars, ascmhl/ history) next to the clips, skipping those already there. */
async function storeOtherFiles(
  deps: IngestDeps,
  source: IngestSource,
  plan: ImportPlan,
  onStored?: () => Promise<void>,
): Promise<void> {
  // The rest of the card goes next to the clips, so the stored original mirrors the card —
  // including its ascmhl/ history, which Rushes' own generation continues.
  for (const relative of plan.others) {
    const key = `productions/${plan.productionId}/rolls/${plan.rollId}/original/${relative}`;
    const stored = await deps.store.head(key);
    if (!stored || stored.size !== plan.sizes.get(relative))
      await copyFile(deps.store, source, relative, key);
    await onStored?.();
  }
}

/**
 * Every file is in: the roll's state now follows its clips (all of them may already be checked),
 * and a settled roll is sealed. `finalCount`, when given, is written with the state, so no reader
 * sees the import done and the roll not.
 */
async function settleImportedRoll(deps: IngestDeps, rollId: string, finalCount?: number): Promise<void> {
  const state = await withTransaction(deps.pool, async (tx) => {
    if (finalCount !== undefined) await recordImportProgress(tx, rollId, finalCount);
    return settleRoll(tx, rollId);
  });
  if (state === 'ready' || state === 'partial' || state === 'failed')
    await deps.boss.send('roll.seal', { rollId });
}

/** Imports a card from any source (a folder, an S3 prefix, the store after an upload) as a roll, file after file. */
export async function importRoll(
  deps: IngestDeps,
  source: IngestSource,
  request: Omit<IngestRequest, 'dir'>,
): Promise<IngestResult> {
  const plan = await planImport(deps, source, request);
  const { rollId, files } = plan;
  let done = 0;
  let reported = 0;
  const progress = async (force = false) => {
    if (!force && Date.now() - reported < PROGRESS_EVERY_MS) return;
    reported = Date.now();
    await recordImportProgress(deps.db, rollId, done);
  };

  let stored: Awaited<ReturnType<typeof storeMediaFiles>>;
  try {
    stored = await storeMediaFiles(deps, source, plan, files, async (relative) => {
      done += 1;
      await progress();
      request.onFile?.(done, files.length, relative);
    });
    await storeOtherFiles(deps, source, plan, async () => {
      done += 1;
      await progress();
    });
  } catch (error) {
    // What was stored is counted exactly, so a failed import says how many files are missing.
    await progress(true).catch(() => {});
    throw error;
  }
  await settleImportedRoll(deps, rollId, done);
  return {
    rollId,
    productionId: plan.productionId,
    clips: [...stored.skipped, ...stored.created].sort((a, b) => a.path.localeCompare(b.path)),
    resumed: stored.skipped.length,
    sidecars: plan.sidecars,
    manifests: plan.manifests,
    layout: plan.layout,
  };
}

/** A batch of a parallel import: at most this many files, or this many bytes (one file may exceed it). */
export const IMPORT_BATCH = { files: 20, bytes: 8 * 1024 ** 3 } as const;

/** Pure: the card's media files in batches (in card order, so a retried plan makes the same batches). */
export function importBatches(
  files: readonly string[],
  sizes: ReadonlyMap<string, number>,
  limits: { files: number; bytes: number } = IMPORT_BATCH,
): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const file of files) {
    const size = sizes.get(file) ?? 0;
    if (current.length > 0 && (current.length >= limits.files || bytes + size > limits.bytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * A card in an object store (an upload, an s3:// prefix), which every worker can read: its other
 * files are stored here, its media files are queued as `roll.import.files` batches that any
 * worker takes, so a large card is copied by many workers at once. The batch that stores the last
 * file settles and seals the roll. Returns the number of batches queued.
 */
export async function importRollInBatches(
  deps: IngestDeps,
  source: IngestSource,
  request: Omit<IngestRequest, 'dir'> & { rollId: string },
  location: string,
): Promise<{ rollId: string; batches: number; clipFiles: number }> {
  const plan = await planImport(deps, source, request);
  await storeOtherFiles(deps, source, plan);
  const batches = importBatches(plan.files, plan.sizes);
  // Singleton keys: a retried plan queues no batch twice while the first is waiting or running.
  for (const [index, files] of batches.entries())
    await deps.boss.send(
      'roll.import.files',
      { rollId: plan.rollId, location, files, otherFiles: plan.others.length },
      { priority: LANES.ingest, singletonKey: `${plan.rollId}:${index}` },
    );
  return { rollId: plan.rollId, batches: batches.length, clipFiles: plan.files.length };
}

/**
 * One batch of a parallel import: its files stored as clips, then the roll's count recomputed;
 * the batch that completes the import settles and seals the roll. Returns whether it did.
 */
export async function importFileBatch(
  deps: IngestDeps,
  source: IngestSource,
  batch: { rollId: string; productionId: string; files: readonly string[]; otherFiles: number },
): Promise<{ stored: number; completed: boolean }> {
  const listed = new Map((await source.list()).map((f) => [f.path, f.size]));
  const missing = batch.files.find((f) => !listed.has(f));
  if (missing)
    throw new IngestError(`${missing} disappeared from ${source.location} while it was being imported`);
  const { created } = await storeMediaFiles(deps, source, { ...batch, sizes: listed }, batch.files);
  const count = await withTransaction(deps.pool, (tx) => recountImport(tx, batch.rollId, batch.otherFiles));
  const completed = !!count && count.before < count.total && count.after >= count.total;
  if (completed) await settleImportedRoll(deps, batch.rollId);
  return { stored: created.length, completed };
}
