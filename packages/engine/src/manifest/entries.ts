/** What manifests say about files, in one shape for both MHL generations. */
import type { HashAlgorithm } from '../hash/algorithms.ts';

export type HashAction = 'original' | 'verified' | 'failed';

export interface ExpectedHash {
  algorithm: HashAlgorithm;
  /** Canonical form, comparable with `hashFile`'s digests (lower-case hex, or a C4 id). */
  value: string;
  /** ASC MHL v2: how the hash came to be. */
  action?: HashAction;
  hashDate?: string;
}

export interface ManifestEntry {
  /** Relative to the folder the manifest describes, with `/` separators. */
  path: string;
  /**
   * Legacy MHL: the name as written, when it holds backslashes: Windows tools wrote them as
   * separators (`path` has them as `/`), but on Linux and macOS they may be part of a name.
   */
  writtenPath?: string;
  size?: number;
  lastModified?: string;
  /** Empty when the manifest recorded no hash (legacy `<null/>`). */
  hashes: ExpectedHash[];
}

/** An entry a manifest lists but that cannot be used (no name, no hash, an unreadable digest). */
export interface EntryProblem {
  /** 1-based position of the entry in its manifest. */
  entry: number;
  /** The file the entry names, when it names one. */
  file?: string;
  message: string;
}

/** Reads a size attribute or element; undefined when absent or not a whole number. */
export function parseSize(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/**
 * Pure: what a history of generations expects of each file, oldest generation first. Later
 * generations add or replace hashes per algorithm; a generation that recorded only a failed check
 * of a file does not redefine its reference. Each entry keeps the name of the generation that last
 * defined it (`source`).
 */
export function mergeGenerations(
  generations: readonly { source: string; entries: readonly ManifestEntry[] }[],
): (ManifestEntry & { source: string })[] {
  const byPath = new Map<string, ManifestEntry & { source: string }>();
  for (const { source, entries } of generations) {
    for (const entry of entries) {
      const key = entry.path.normalize('NFC');
      const previous = byPath.get(key);
      const trusted = entry.hashes.filter((h) => h.action !== 'failed');
      if (previous && entry.hashes.length > 0 && trusted.length === 0) continue;
      const hashes = new Map((previous?.hashes ?? []).map((h) => [h.algorithm, h]));
      for (const h of trusted) hashes.set(h.algorithm, h);
      const size = entry.size ?? previous?.size;
      byPath.set(key, {
        ...entry,
        path: key,
        ...(size !== undefined ? { size } : {}),
        hashes: [...hashes.values()],
        source,
      });
    }
  }
  return [...byPath.values()];
}
