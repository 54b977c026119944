/**
 * roll.import: a card into a roll the api created (importRoll, or completeUpload after an
 * upload). The same importer as `rushes ingest`; a card every worker can read (an upload, an
 * s3:// prefix) is copied in roll.import.files batches by many workers at once. The location is
 * checked against the import roots again here, resolved on this machine, right before anything
 * is read. Each attempt
 * continues where the last stopped; a card that cannot be imported (no media, missing folder,
 * outside the roots) or an import that failed on its last attempt ends the roll `failed` with the
 * count of files not imported. roll.import.failed does the same for an attempt that could not
 * say so itself (a worker killed on the last attempt).
 */
import { findRollWithProduction } from '@rushes/data/rolls';
import { failImport } from '@rushes/data/states';
import { IngestError } from '../ingest.ts';
import { parseS3Location } from '../sources.ts';
import type { HandlerDeps, JobContext, JobHandler } from './handler.ts';

/** Pure: whether every worker can read the card at `location` (so its files can be copied by many). */
export function isSharedLocation(location: string): boolean {
  return location === 'upload:' || parseS3Location(location) !== undefined;
}

/**
 * Runs one step of a roll's import; a failure that will not pass (no media, a missing folder, a
 * file that vanished) or one on the last attempt ends the roll `failed` with the count of files
 * not imported. Undefined when there is nothing to do (the roll is gone or its import given up).
 */
async function importStep<T>(
  deps: HandlerDeps,
  rollId: string,
  job: JobContext,
  step: (roll: { productionId: string; code: string; name: string }) => Promise<T>,
): Promise<T | undefined> {
  const found = await findRollWithProduction(deps.db, rollId);
  if (!found) {
    deps.log.info({ rollId }, 'roll was deleted before its import; nothing to do');
    return undefined;
  }
  if (found.roll.errorMessage) {
    deps.log.info({ rollId }, 'the import of this roll was given up already; nothing to do');
    return undefined;
  }
  try {
    return await step({
      productionId: found.roll.productionId,
      code: found.production.code,
      name: found.roll.name,
    });
  } catch (error) {
    const permanent = error instanceof IngestError || (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (permanent || job.lastAttempt) {
      const reason = (error as Error).message;
      await failImport(
        deps.db,
        rollId,
        job.lastAttempt && !permanent ? `${reason} (gave up after retrying)` : reason,
      );
      throw new IngestError(reason);
    }
    throw error;
  }
}

/** The card now lives under the roll's originals; the uploaded copy is not needed. */
async function removeUpload(deps: HandlerDeps, rollId: string): Promise<void> {
  for await (const object of deps.store.list(`uploads/${rollId}/`)) await deps.store.delete(object.key);
}

export const rollImport: JobHandler<'roll.import'> = async ({ rollId, location }, deps, job) => {
  await importStep(deps, rollId, job, async (roll) => {
    const request = { rollId, productionCode: roll.code, rollName: roll.name };
    // Checked against the import roots here, right before anything is read (s3:// included).
    const resolved =
      location === 'upload:' ? location : await deps.checkImportLocation(location, roll.productionId);
    if (isSharedLocation(resolved)) {
      const planned = await deps.importCardInBatches(resolved, request);
      deps.log.info(
        { rollId, batches: planned.batches, clipFiles: planned.clipFiles, location: resolved },
        'roll import planned: its files are queued in batches',
      );
      return;
    }
    const result = await deps.importCard(resolved, request);
    deps.log.info(
      { rollId, clips: result.clips.length, resumed: result.resumed, location: resolved },
      result.resumed ? 'roll imported (continued an interrupted import)' : 'roll imported',
    );
  });
};

export const rollImportFiles: JobHandler<'roll.import.files'> = async (batch, deps, job) => {
  await importStep(deps, batch.rollId, job, async (roll) => {
    const result = await deps.importFileBatch(batch.location, { ...batch, productionId: roll.productionId });
    deps.log.info({ rollId: batch.rollId, files: batch.files.length, ...result }, 'import batch stored');
    if (result.completed && batch.location === 'upload:') await removeUpload(deps, batch.rollId);
  });
};

/**
 * Dead letter of roll.import and roll.import.files: the import failed for good, possibly without
 * a word (see above).
 */
export const rollImportFailed: JobHandler<'roll.import.failed'> = async ({ rollId }, deps) => {
  await failImport(
    deps.db,
    rollId,
    'the import was interrupted on every attempt (worker stopped or lost, or database unreachable)',
  );
};
