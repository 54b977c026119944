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
  size?: number;
  lastModified?: string;
  /** Empty when the manifest recorded no hash (legacy `<null/>`). */
  hashes: ExpectedHash[];
}

/** Reads a size attribute or element; undefined when absent or not a whole number. */
export function parseSize(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
