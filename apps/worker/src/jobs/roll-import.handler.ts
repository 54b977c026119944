/**
 * roll.import: a card into a roll the api created (importRoll, or completeUpload after an
 * upload). The same importer as `rushes ingest`; a card that cannot be imported (no media,
 * missing folder, roll already filled) fails the roll with the reason, without retries.
 */
import { productions, rolls } from '@rushes/schema/tables';
import { eq } from 'drizzle-orm';
import { IngestError } from '../ingest.ts';
import type { JobHandler } from './handler.ts';

export const rollImport: JobHandler<'roll.import'> = async ({ rollId, location }, deps) => {
  const [roll] = await deps.db
    .select({ name: rolls.name, code: productions.code })
    .from(rolls)
    .innerJoin(productions, eq(productions.id, rolls.productionId))
    .where(eq(rolls.id, rollId));
  if (!roll) {
    deps.log.info({ rollId }, 'roll was deleted before its import; nothing to do');
    return;
  }
  try {
    const result = await deps.importCard(location, {
      rollId,
      productionCode: roll.code,
      rollName: roll.name,
    });
    deps.log.info({ rollId, clips: result.clips.length, location }, 'roll imported');
    if (location === 'upload:') {
      // The card now lives under the roll's originals; the uploaded copy is not needed.
      for await (const object of deps.store.list(`uploads/${rollId}/`)) await deps.store.delete(object.key);
    }
  } catch (error) {
    if (error instanceof IngestError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      await deps.db
        .update(rolls)
        .set({ state: 'failed', errorMessage: (error as Error).message, updatedAt: new Date() })
        .where(eq(rolls.id, rollId));
      throw new IngestError((error as Error).message);
    }
    throw error;
  }
};
