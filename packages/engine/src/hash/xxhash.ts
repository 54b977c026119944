/**
 * The xxHash family as streaming hashers: native @node-rs/xxhash for xxh32/xxh64/xxh3 (~16 GB/s),
 * hash-wasm for xxh128 (which @node-rs/xxhash cannot stream).
 */
import { Xxh32, Xxh64, xxh3 } from '@node-rs/xxhash';
import { createXXHash128 } from 'hash-wasm';
import type { HashAlgorithm } from './algorithms.ts';

export interface StreamingHash {
  update(data: Uint8Array): unknown;
  /** Canonical (big-endian) hex, as xxhsum prints it. */
  hex(): string;
}

const hexOf = (value: bigint | number, digits: number) => value.toString(16).padStart(digits, '0');

export const XXHASH: Partial<Record<HashAlgorithm, () => Promise<StreamingHash>>> = {
  xxh32: async () => {
    const h = new Xxh32();
    return { update: (d) => h.update(d), hex: () => hexOf(h.digest(), 8) };
  },
  xxh64: async () => {
    const h = new Xxh64();
    return { update: (d) => h.update(d), hex: () => hexOf(h.digest(), 16) };
  },
  xxh3: async () => {
    const h = xxh3.Xxh3.withSeed();
    return { update: (d) => h.update(d), hex: () => hexOf(h.digest(), 16) };
  },
  xxh128: async () => {
    const h = await createXXHash128();
    return { update: (d) => h.update(d), hex: () => h.digest('hex') };
  },
};
