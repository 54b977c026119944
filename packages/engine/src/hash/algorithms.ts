/** The checksums Rushes computes, as ASC MHL names them. */
export const HASH_ALGORITHMS = ['xxh64', 'xxh128', 'xxh3', 'md5', 'sha1', 'c4', 'xxh32'] as const;

export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** Algorithm → lower-case digest (hex; C4 ids in their own base58 form). */
export type Digests = Partial<Record<HashAlgorithm, string>>;

/** Computed by OpenSSL (node:crypto) on a worker thread, off the thread that reads. */
export const OPENSSL_ALGORITHMS: ReadonlySet<HashAlgorithm> = new Set(['md5', 'sha1', 'c4']);

export function isHashAlgorithm(name: string): name is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly string[]).includes(name);
}

/** Reads a list such as `xxh64,md5` (also `xxhash64`, `xxh3_128`); throws naming the unknown one. */
export function parseAlgorithms(list: string): HashAlgorithm[] {
  const aliases: Record<string, HashAlgorithm> = {
    xxhash64: 'xxh64',
    xxhash: 'xxh32',
    xxh3_64: 'xxh3',
    xxh3_128: 'xxh128',
    xxhash128: 'xxh128',
  };
  const names = list
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean)
    .map((n) => aliases[n] ?? n);
  const unknown = names.filter((n) => !isHashAlgorithm(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`unknown hash algorithm "${unknown[0] ?? list}"; known: ${HASH_ALGORITHMS.join(', ')}`);
  }
  return [...new Set(names)] as HashAlgorithm[];
}
