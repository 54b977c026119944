import type { ClipJobName } from '@rushes/schema/jobs';
import { profileOfTaskKind } from '@rushes/schema/profiles';

/** Pure: the queue a task kind's jobs run on (verify → clip.verify, proxy:avid → clip.render…). */
export function jobOfTask(kind: string): ClipJobName | undefined {
  if (kind === 'verify') return 'clip.verify';
  if (kind === 'probe') return 'clip.probe';
  if (profileOfTaskKind(kind)) return 'clip.render';
  return undefined;
}
