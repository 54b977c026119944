/**
 * The stability gate of imports: a card still being copied (a watch folder, a slow reader, an
 * upload to a bucket) is not taken until no file's size or modification time has changed for a
 * while.
 */
import type { CardFile } from './sources.ts';

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

const snapshotOf = (files: readonly CardFile[]): Snapshot =>
  new Map(files.map((f) => [f.path, { size: f.size, mtimeMs: f.modifiedMs }]));

/**
 * Resolves with the files once `list()` gives the same files, sizes and times `settleMs` apart;
 * rejects naming the files still changing after `timeoutMs`.
 */
export async function waitUntilStable(
  list: () => Promise<CardFile[]>,
  settleMs: number,
  timeoutMs: number,
): Promise<CardFile[]> {
  const deadline = Date.now() + timeoutMs;
  let files = await list();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const next = await list();
    const changed = changedFiles(snapshotOf(files), snapshotOf(next));
    files = next;
    if (changed.length === 0) return files;
    if (Date.now() > deadline) {
      throw new Error(
        `still changing after ${Math.round(timeoutMs / 1000)} s: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? '…' : ''}`,
      );
    }
  }
}
