/**
 * C4 ids (SMPTE ST 2114): the SHA-512 digest as a base58 number, left-padded with '1' to 88
 * characters and prefixed `c4`. ASC MHL v2 names generations by them.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function c4FromSha512(digest: Uint8Array): string {
  if (digest.length !== 64)
    throw new Error(`a C4 id needs a 64-byte SHA-512 digest, got ${digest.length} bytes`);
  let n = BigInt(`0x${Buffer.from(digest).toString('hex')}`);
  let text = '';
  while (n > 0n) {
    text = ALPHABET[Number(n % 58n)] + text;
    n /= 58n;
  }
  return `c4${text.padStart(88, '1')}`;
}

/** A well-formed C4 id: `c4` and 88 base58 characters. */
export function isC4(text: string): boolean {
  return /^c4[1-9A-HJ-NP-Za-km-z]{88}$/.test(text);
}

/** A C4 id back to the 64 bytes of its SHA-512 digest. */
export function c4ToBytes(id: string): Uint8Array {
  let n = 0n;
  for (const ch of id.slice(2)) n = n * 58n + BigInt(ALPHABET.indexOf(ch));
  return Buffer.from(n.toString(16).padStart(128, '0'), 'hex');
}
