/**
 * How clip and roll states follow from task states (DESIGN §5), as pure functions shared by the
 * worker (which writes them) and the api (which reports progress).
 */
export type TaskState = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
export type ProcessingState = 'pending' | 'processing' | 'ready' | 'failed' | 'partial';

/**
 * A clip: failed when a required task failed; ready when every required task succeeded;
 * partial when only optional ones (proxies, images) failed; processing while any runs or
 * waits; pending before any task exists.
 */
export function clipState(
  tasks: readonly { kind: string; state: TaskState }[],
  required: readonly string[],
): ProcessingState {
  if (tasks.length === 0) return 'pending';
  const byKind = new Map(tasks.map((t) => [t.kind, t.state]));
  if (required.some((kind) => byKind.get(kind) === 'failed' || byKind.get(kind) === 'canceled'))
    return 'failed';
  if (tasks.some((t) => t.state === 'queued' || t.state === 'running')) return 'processing';
  if (!required.every((kind) => byKind.get(kind) === 'succeeded')) return 'processing';
  return tasks.some((t) => t.state === 'failed') ? 'partial' : 'ready';
}

/** A roll: from its clips' states. */
export function rollState(clips: readonly ProcessingState[]): ProcessingState {
  if (clips.length === 0) return 'pending';
  if (clips.some((s) => s === 'processing')) return 'processing';
  if (clips.every((s) => s === 'pending')) return 'pending';
  if (clips.some((s) => s === 'pending')) return 'processing';
  if (clips.every((s) => s === 'ready')) return 'ready';
  if (clips.every((s) => s === 'failed')) return 'failed';
  return 'partial';
}

/**
 * Where a roll's card import stands, from its row: `none` (not imported, e.g. an empty roll
 * before its upload), `running` (files listed, not all stored yet), `done`, or `failed` (given up:
 * the roll says how many files were not imported).
 */
export type ImportStatus = 'none' | 'running' | 'done' | 'failed';

export function importStatus(roll: {
  importFilesTotal: number | null;
  importFilesDone: number | null;
  importFailed: boolean;
}): ImportStatus {
  if (roll.importFailed) return 'failed';
  if (roll.importFilesTotal === null) return 'none';
  return (roll.importFilesDone ?? 0) < roll.importFilesTotal ? 'running' : 'done';
}

/**
 * A roll whose import is still running is never settled by its first clips (it would be sealed
 * with half its card); one whose import was given up stays failed whatever its clips do.
 */
export function rollStateWithImport(
  clips: readonly ProcessingState[],
  status: ImportStatus,
): ProcessingState {
  if (status === 'failed') return 'failed';
  const state = rollState(clips);
  if (status === 'running' && state !== 'pending') return 'processing';
  return state;
}
