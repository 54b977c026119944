/** The OpenSSL hashes (node:crypto) by their ASC MHL names: C4 ids are built on SHA-512. */
import { createHash, type Hash } from 'node:crypto';

const digestNames: Record<string, string> = { md5: 'md5', sha1: 'sha1', c4: 'sha512' };

export function createOpenSslHash(algorithm: string): Hash {
  return createHash(digestNames[algorithm] ?? algorithm);
}
