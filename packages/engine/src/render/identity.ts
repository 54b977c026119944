/**
 * A derived file's identity: a hash of everything that decides its bytes — the source's
 * checksum, the resolved profile (size, burn-ins), the colour chain (input transform and look)
 * and the engine version. The same inputs give the same key, so a re-run finds the work done; a
 * changed look changes the keys of what it colours and nothing else (sound renditions leave the
 * colour out of their identity).
 */
import { createHash } from 'node:crypto';
import type { ColorChain } from '../color/color-filters.ts';

export interface IdentityInputs {
  /** The source's checksum as `algorithm:hex`, e.g. `xxh64:…`. */
  source: string;
  /** What is made: `review`, `images`, `waveform`… */
  output: string;
  /** The resolved settings of that output (profile, image options). */
  settings: unknown;
  /** Undefined for outputs colour does not touch. */
  color?: ColorChain;
  engineVersion: string;
}

/** Pure: JSON with object keys sorted, so key order never changes an identity. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Pure: the hex SHA-256 identity of a derived file. */
export function derivedIdentity(inputs: IdentityInputs): string {
  return createHash('sha256').update(canonicalJson(inputs)).digest('hex');
}
