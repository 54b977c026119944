import { auditEvents, productions } from '@rushes/schema/tables';
import { and, eq } from 'drizzle-orm';
import { publishEvent } from '@rushes/data/events';
import type { JobHandler } from './handler.ts';

/**
 * Marks a new production ready. Idempotent: a re-run finds it ready already, writes no second
 * audit event, and only re-sends the status event.
 */
export const productionSetup: JobHandler<'production.setup'> = async ({ productionId }, deps) => {
  const changed = await deps.db.transaction(async (tx) => {
    const updated = await tx
      .update(productions)
      .set({ state: 'ready', updatedAt: new Date() })
      .where(and(eq(productions.id, productionId), eq(productions.state, 'pending')))
      .returning({ id: productions.id });
    if (updated.length === 0) return false;
    await tx.insert(auditEvents).values({
      productionId,
      actorWorker: deps.workerId,
      action: 'production.ready',
      subjectType: 'production',
      subjectId: productionId,
    });
    return true;
  });
  const [production] = await deps.db
    .select({ state: productions.state })
    .from(productions)
    .where(eq(productions.id, productionId));
  if (!production) {
    deps.log.warn({ productionId }, 'production was deleted before it was set up');
    return;
  }
  if (changed) deps.log.info({ productionId }, 'production ready');
  await publishEvent(deps.db, { type: 'production.updated', productionId, state: production.state });
};
