import { publishEvent } from '@rushes/data/events';
import { findProduction, markProductionReady } from '@rushes/data/productions';
import type { JobHandler } from './handler.ts';

/**
 * Marks a new production ready. Idempotent: a re-run finds it ready already, writes no second
 * audit event, and only re-sends the status event.
 */
export const productionSetup: JobHandler<'production.setup'> = async ({ productionId }, deps) => {
  const changed = await markProductionReady(deps.db, productionId, deps.workerId);
  const production = await findProduction(deps.db, productionId);
  if (!production) {
    deps.log.warn({ productionId }, 'production was deleted before it was set up');
    return;
  }
  if (changed) deps.log.info({ productionId }, 'production ready');
  await publishEvent(deps.db, { type: 'production.updated', productionId, state: production.state });
};
