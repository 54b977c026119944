/**
 * roll.import: a card into a roll the api created (importRoll, or completeUpload after an
 * upload). The same importer as `rushes ingest`. The location is checked against the import
 * roots again here, resolved on this machine, right before anything is read. Each attempt
 * continues where the last stopped; a card that cannot be imported (no media, missing folder,
 * outside the roots) or an import that failed on its last attempt ends the roll `failed` with the
 * count of files not imported. roll.import.failed does the same for an attempt that could not
 * say so itself (a worker killed on the last attempt).
 */
import { findRollWithProduction } from '@rushes/data/rolls';
import { failImport } from '@rushes/data/states';
import { IngestError } from '../ingest.ts';
import type { JobHandler } from './handler.ts';

export const rollImport: JobHandler<'roll.import'> = async ({ rollId, location }, deps, job) => {
  const found = await findRollWithProduction(deps.db, rollId);
  const roll = found && { ...found.roll, code: found.production.code };
  if (!roll) {
    deps.log.info({ rollId }, 'roll was deleted before its import; nothing to do');
    return;
  }
  if (roll.errorMessage) {
    deps.log.info({ rollId }, 'the import of this roll was given up already; nothing to do');
    return;
  }
  try {
    const resolved =
      location === 'upload:' ? location : await deps.checkImportLocation(location, roll.productionId);
    const result = await deps.importCard(resolved, {
      rollId,
      productionCode: roll.code,
      rollName: roll.name,
    });
    deps.log.info(
      { rollId, clips: result.clips.length, resumed: result.resumed, location: resolved },
      result.resumed ? 'roll imported (continued an interrupted import)' : 'roll imported',
    );
    if (location === 'upload:') {
      // The card now lives under the roll's originals; the uploaded copy is not needed.
      for await (const object of deps.store.list(`uploads/${rollId}/`)) await deps.store.delete(object.key);
    }
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
};

/** Dead letter of roll.import: the import failed for good, possibly without a word (see above). */
export const rollImportFailed: JobHandler<'roll.import.failed'> = async ({ rollId }, deps) => {
  await failImport(
    deps.db,
    rollId,
    'the import was interrupted on every attempt (worker stopped or lost, or database unreachable)',
  );
};
