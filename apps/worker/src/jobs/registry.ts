import { jobNames, type JobName } from '@rushes/schema/jobs';
import type { JobHandler } from './handler.ts';
import { productionSetup } from './production-setup.handler.ts';

/** One handler per job: a job without one is a compile error here. */
export const handlers: { [N in JobName]: JobHandler<N> } = {
  'production.setup': productionSetup,
};

/** The start-up check: refuses to start when a declared job has no handler. */
export function assertEveryJobHandled(registry: Partial<Record<string, unknown>> = handlers): void {
  const missing = jobNames.filter((name) => typeof registry[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(`rushes worker: no handler for job ${missing.map((n) => `"${n}"`).join(', ')}`);
  }
}
