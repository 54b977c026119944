/**
 * The stability gate of imports: a card still being copied (a watch folder, a slow reader) is
 * not taken until no file's size or modification time has changed for a while.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';

export type Snapshot = Map<string, { size: number; mtimeMs: number }>;

/** Pure: the files that appeared, disappeared or changed between two snapshots. */
export function changedFiles(before: Snapshot, after: Snapshot): string[] {
  const changed = new Set<string>();
  for (const [file, b] of before) {
    const a = after.get(file);
    if (!a || a.size !== b.size || a.mtimeMs !== b.mtimeMs) changed.add(file);
  }
  for (const file of after.keys()) if (!before.has(file)) changed.add(file);
  return [...changed].sort();
}

export async function snapshot(dir: string, files: readonly string[]): Promise<Snapshot> {
  const result: Snapshot = new Map();
  for (const file of files) {
    const info = await stat(path.join(dir, file)).catch(() => undefined);
    if (info) result.set(file, { size: info.size, mtimeMs: info.mtimeMs });
  }
  return result;
}

/**
 * Resolves once `list()` and the files' sizes and times stay the same for `settleMs`; rejects
 * naming the files still changing after `timeoutMs`.
 */
export async function waitUntilStable(
  dir: string,
  list: () => Promise<string[]>,
  settleMs: number,
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let files = await list();
  let before = await snapshot(dir, files);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    files = await list();
    const after = await snapshot(dir, files);
    const changed = changedFiles(before, after);
    if (changed.length === 0) return files;
    if (Date.now() > deadline) {
      throw new Error(
        `still changing after ${Math.round(timeoutMs / 1000)} s: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? '…' : ''}`,
      );
    }
    before = after;
  }
}
