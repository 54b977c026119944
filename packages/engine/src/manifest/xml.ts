/**
 * XML as manifests and sidecars arrive: in any encoding, declared or not (XML 1.0 Appendix F:
 * a BOM, or the byte pattern of `<?`, decides before the declaration is read — some DIT tools
 * write UTF-16 without a BOM and still declare UTF-8), parsed into plain objects.
 */
import { XMLParser } from 'fast-xml-parser';

export class ManifestError extends Error {
  override name = 'ManifestError';
}

function startsWith(bytes: Uint8Array, ...prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** The encoding of an XML document's bytes. */
export function detectXmlEncoding(bytes: Uint8Array): string {
  // UTF-32 first: its little-endian BOM begins like UTF-16LE's, and `<` like UTF-16's.
  if (startsWith(bytes, 0x00, 0x00, 0xfe, 0xff) || startsWith(bytes, 0x00, 0x00, 0x00, 0x3c))
    return 'utf-32be';
  if (startsWith(bytes, 0xff, 0xfe, 0x00, 0x00) || startsWith(bytes, 0x3c, 0x00, 0x00, 0x00))
    return 'utf-32le';
  if (startsWith(bytes, 0xef, 0xbb, 0xbf)) return 'utf-8';
  if (startsWith(bytes, 0xfe, 0xff)) return 'utf-16be';
  if (startsWith(bytes, 0xff, 0xfe)) return 'utf-16le';
  if (startsWith(bytes, 0x00, 0x3c, 0x00, 0x3f) || startsWith(bytes, 0x00, 0x3c)) return 'utf-16be';
  if (startsWith(bytes, 0x3c, 0x00, 0x3f, 0x00) || startsWith(bytes, 0x3c, 0x00)) return 'utf-16le';
  // ASCII-compatible: the declaration names the encoding (default UTF-8).
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  return declared?.toLowerCase() ?? 'utf-8';
}

/** UTF-32 (which TextDecoder does not know), BOM dropped; throws on a bad code unit. */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  if (bytes.length % 4 !== 0)
    throw new ManifestError('the document is not valid UTF-32: its length is not a multiple of 4');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 4) {
    const code = view.getUint32(offset, littleEndian);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      throw new ManifestError(`the document is not valid UTF-32: U+${code.toString(16)} at byte ${offset}`);
    }
    if (offset === 0 && code === 0xfeff) continue;
    parts.push(String.fromCodePoint(code));
  }
  return parts.join('');
}

export function decodeXml(bytes: Uint8Array): string {
  const encoding = detectXmlEncoding(bytes);
  if (encoding === 'utf-32be' || encoding === 'utf-32le') return decodeUtf32(bytes, encoding === 'utf-32le');
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new ManifestError(`unsupported XML encoding "${encoding}"`);
  }
  try {
    // The BOM, if any, is dropped by TextDecoder.
    return decoder.decode(bytes);
  } catch {
    throw new ManifestError(`the document is not valid ${encoding.toUpperCase()}`);
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Keep every value as written: hashes may have leading zeros, sizes exceed 2^53 in theory.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
  // Also decodes character references (`&#13;`), which manifests need for names holding CR, tab
  // or leading/trailing spaces. Trimming happens before, so a written `&#32;` survives.
  htmlEntities: true,
});

export type XmlNode = Record<string, unknown>;

/** Parses decoded XML; throws ManifestError with the parser's reason. */
export function parseXml(text: string): XmlNode {
  try {
    return parser.parse(text, true) as XmlNode;
  } catch (error) {
    const detail = (error as { err?: { msg?: string; line?: number } }).err;
    const reason = detail?.msg ? `${detail.msg} (line ${detail.line})` : (error as Error).message;
    throw new ManifestError(`not well-formed XML: ${reason}`);
  }
}

/** A child that may occur once or many times, as an array. */
export function list(value: unknown): XmlNode[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]) as XmlNode[];
}

/** The text of an element (with or without attributes). */
export function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && '#text' in (value as XmlNode)) return String((value as XmlNode)['#text']);
  if (typeof value === 'object') return '';
  return String(value);
}

export function attribute(value: unknown, name: string): string | undefined {
  if (value && typeof value === 'object') {
    const found = (value as XmlNode)[`@${name}`];
    return found === undefined ? undefined : String(found);
  }
  return undefined;
}
