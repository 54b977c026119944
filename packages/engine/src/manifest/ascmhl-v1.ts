/**
 * Legacy MHL 1.x (`<hashlist version="1.x">`, mediahashlist.org, Pomfort, Silverstack, ShotPut…).
 * Hash elements and their encodings:
 * - `md5`, `sha1`: hex.
 * - `xxhash`: XXH32 as a decimal number (leading zeros possible).
 * - `xxhash64`: XXH64 as hex in little-endian byte order — reversed here to the canonical form.
 * - `xxhash64be`: XXH64 as canonical (big-endian) hex.
 * - `null`: no hash; only presence and size can be checked.
 */
import { ManifestError, attribute, decodeXml, list, parseXml, text, type XmlNode } from './xml.ts';
import { parseSize, type EntryProblem, type ExpectedHash, type ManifestEntry } from './entries.ts';

export interface MhlV1 {
  format: 'ascmhl-v1';
  version: string;
  creator: Record<string, string>;
  entries: ManifestEntry[];
  /** Entries left out because they cannot be used; the others are still good. */
  problems: EntryProblem[];
}

function hexLower(value: string, element: string, bytes: number): string {
  const hex = value.trim().toLowerCase();
  if (!new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(hex)) {
    throw new ManifestError(`<${element}> "${value}" is not a ${bytes * 8}-bit hex digest`);
  }
  return hex;
}

/** Pure: one legacy hash element → the canonical expected hash (undefined for `<null/>`). */
export function legacyHash(element: string, value: string): ExpectedHash | undefined {
  switch (element) {
    case 'md5':
      return { algorithm: 'md5', value: hexLower(value, element, 16) };
    case 'sha1':
      return { algorithm: 'sha1', value: hexLower(value, element, 20) };
    case 'xxhash64be':
      return { algorithm: 'xxh64', value: hexLower(value, element, 8) };
    case 'xxhash64': {
      const little = hexLower(value, element, 8);
      return { algorithm: 'xxh64', value: little.match(/../g)!.reverse().join('') };
    }
    case 'xxhash': {
      if (!/^\d+$/.test(value.trim()) || Number(value) > 0xffffffff) {
        throw new ManifestError(`<xxhash> "${value}" is not a decimal 32-bit number`);
      }
      return { algorithm: 'xxh32', value: Number(value.trim()).toString(16).padStart(8, '0') };
    }
    case 'null':
      return undefined;
    default:
      return undefined;
  }
}

const HASH_ELEMENTS = ['md5', 'sha1', 'xxhash', 'xxhash64', 'xxhash64be', 'null'];

export function parseMhlV1(bytes: Uint8Array): MhlV1 {
  const root = parseXml(decodeXml(bytes))['hashlist'] as XmlNode | undefined;
  if (!root) throw new ManifestError('not an MHL file: no <hashlist> element');
  const version = attribute(root, 'version') ?? '';
  if (!version.startsWith('1.')) throw new ManifestError(`not a legacy MHL: hashlist version "${version}"`);
  const creator: Record<string, string> = {};
  for (const [key, value] of Object.entries(list(root['creatorinfo'])[0] ?? {})) {
    const content = text(value);
    if (content !== undefined && !key.startsWith('@')) creator[key] = content;
  }
  const entries: ManifestEntry[] = [];
  const problems: EntryProblem[] = [];
  list(root['hash']).forEach((hash, index) => {
    const file = text(hash['file']);
    try {
      if (!file) throw new ManifestError('<hash> has no <file>');
      const present = HASH_ELEMENTS.filter((name) => name in hash);
      if (present.length === 0) throw new ManifestError(`<hash> for "${file}" has no hash element`);
      const hashDate = text(hash['hashdate']);
      const hashes = present.flatMap((name) => {
        const expected = legacyHash(name, text(hash[name]) ?? '');
        return expected ? [{ ...expected, ...(hashDate ? { hashDate } : {}) }] : [];
      });
      const lastModified = text(hash['lastmodificationdate']);
      entries.push({
        path: file.replaceAll('\\', '/'),
        ...(file.includes('\\') ? { writtenPath: file } : {}),
        size: parseSize(text(hash['size'])),
        ...(lastModified ? { lastModified } : {}),
        hashes,
      });
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      problems.push({ entry: index + 1, ...(file ? { file } : {}), message: error.message });
    }
  });
  return { format: 'ascmhl-v1', version, creator, entries, problems };
}
