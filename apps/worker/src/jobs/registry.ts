import { jobNames, type JobName } from '@rushes/schema/jobs';
import { clipProbe } from './clip-probe.handler.ts';
import { clipRender } from './clip-render.handler.ts';
import { clipVerify } from './clip-verify.handler.ts';
import type { JobHandler } from './handler.ts';
import { productionSetup } from './production-setup.handler.ts';
import { rollImport, rollImportFailed, rollImportFiles } from './roll-import.handler.ts';
import { rollSeal } from './roll-seal.handler.ts';
import { uploadsSweep } from './uploads-sweep.handler.ts';

/** One handler per job: a job without one is a compile error here. */
export const handlers: { [N in JobName]: JobHandler<N> } = {
  'production.setup': productionSetup,
  'clip.verify': clipVerify,
  'clip.probe': clipProbe,
  'clip.render': clipRender,
  'roll.seal': rollSeal,
  'roll.import': rollImport,
  'roll.import.failed': rollImportFailed,
  'roll.import.files': rollImportFiles,
  'uploads.sweep': uploadsSweep,
};

/** The start-up check: refuses to start when a declared job has no handler. */
export function assertEveryJobHandled(registry: Partial<Record<string, unknown>> = handlers): void {
  const missing = jobNames.filter((name) => typeof registry[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(`rushes worker: no handler for job ${missing.map((n) => `"${n}"`).join(', ')}`);
  }
}
