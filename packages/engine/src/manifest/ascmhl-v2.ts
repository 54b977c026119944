/**
 * ASC MHL v2 (`urn:ASC:MHL:v2.0`): one XML file per generation in an `ascmhl/` folder, named
 * `NNNN_<folder>_<YYYY-MM-DD_HHMMSS>Z.mhl`, and `ascmhl_chain.xml` listing every generation with
 * its C4 id. Parsing and writing here are pure; reading folders is in history.ts.
 */
import { isHashAlgorithm, type HashAlgorithm } from '../hash/algorithms.ts';
import { parseSize, type ExpectedHash, type HashAction, type ManifestEntry } from './entries.ts';
import { ManifestError, attribute, decodeXml, list, parseXml, text, type XmlNode } from './xml.ts';

export interface DirectoryHashes {
  /** Relative folder path; '' for the root. */
  path: string;
  lastModified?: string;
  content: ExpectedHash[];
  structure: ExpectedHash[];
}

export interface Creator {
  creationDate: string;
  hostname?: string;
  tool?: string;
  toolVersion?: string;
  authors: { name: string; email?: string; phone?: string; role?: string }[];
  location?: string;
  comment?: string;
}

export interface MhlV2Generation {
  format: 'ascmhl-v2';
  version: string;
  creator: Creator;
  process?: string;
  rootHash?: DirectoryHashes;
  ignore: string[];
  entries: ManifestEntry[];
  directories: DirectoryHashes[];
  /** Nested histories (child folders with their own ascmhl/), by path and C4 id. */
  references: { path: string; c4: string }[];
}

export interface ChainEntry {
  sequence: number;
  /** File name of the generation inside ascmhl/. */
  path: string;
  c4: string;
}

const ACTIONS = new Set<HashAction>(['original', 'verified', 'failed']);

/** Every hash child of `node` (md5, xxh64, c4…), with its action and date. */
function hashesOf(node: XmlNode | undefined, where: string): ExpectedHash[] {
  if (!node) return [];
  return Object.keys(node)
    .filter(isHashAlgorithm)
    .flatMap((algorithm) =>
      list(node[algorithm]).map((element): ExpectedHash => {
        const value = (text(element) ?? '').trim();
        if (!value) throw new ManifestError(`empty <${algorithm}> in ${where}`);
        const action = attribute(element, 'action');
        if (action !== undefined && !ACTIONS.has(action as HashAction)) {
          throw new ManifestError(`unknown action "${action}" on <${algorithm}> in ${where}`);
        }
        const hashDate = attribute(element, 'hashdate');
        return {
          algorithm: algorithm as HashAlgorithm,
          value: algorithm === 'c4' ? value : value.toLowerCase(),
          ...(action ? { action: action as HashAction } : {}),
          ...(hashDate ? { hashDate } : {}),
        };
      }),
    );
}

function directoryHashes(node: XmlNode, path: string, where: string): DirectoryHashes {
  const lastModified = attribute(node['path'], 'lastmodificationdate');
  return {
    path: path.replace(/\/+$/, ''),
    ...(lastModified ? { lastModified } : {}),
    content: hashesOf(list(node['content'])[0], where),
    structure: hashesOf(list(node['structure'])[0], where),
  };
}

export function parseMhlV2(bytes: Uint8Array): MhlV2Generation {
  const root = parseXml(decodeXml(bytes))['hashlist'] as XmlNode | undefined;
  if (!root) throw new ManifestError('not an ASC MHL file: no <hashlist> element');
  const version = attribute(root, 'version') ?? '';
  if (!version.startsWith('2.'))
    throw new ManifestError(`not an ASC MHL v2 file: hashlist version "${version}"`);
  const info = list(root['creatorinfo'])[0] ?? {};
  const creationDate = text(info['creationdate']);
  if (!creationDate) throw new ManifestError('<creatorinfo> has no <creationdate>');
  const creator: Creator = {
    creationDate,
    authors: list(info['author']).map((a) => ({
      name: text(a) ?? '',
      ...(attribute(a, 'email') ? { email: attribute(a, 'email')! } : {}),
      ...(attribute(a, 'phone') ? { phone: attribute(a, 'phone')! } : {}),
      ...(attribute(a, 'role') ? { role: attribute(a, 'role')! } : {}),
    })),
  };
  for (const [key, element] of [
    ['hostname', 'hostname'],
    ['tool', 'tool'],
    ['location', 'location'],
    ['comment', 'comment'],
  ] as const) {
    const value = text(info[element]);
    if (value) creator[key] = value;
  }
  const toolVersion = attribute(info['tool'], 'version');
  if (toolVersion) creator.toolVersion = toolVersion;

  const processInfo = list(root['processinfo'])[0] ?? {};
  const rootHashNode = list(processInfo['roothash'])[0];
  const hashes = list(root['hashes'])[0] ?? {};
  const entries = list(hashes['hash']).map((hash, index): ManifestEntry => {
    const pathNode = hash['path'];
    const path = text(pathNode);
    if (!path) throw new ManifestError(`<hash> number ${index + 1} has no <path>`);
    const lastModified = attribute(pathNode, 'lastmodificationdate');
    return {
      path,
      size: parseSize(attribute(pathNode, 'size')),
      ...(lastModified ? { lastModified } : {}),
      hashes: hashesOf(hash, `<hash> for "${path}"`),
    };
  });
  const process = text(processInfo['process']);
  return {
    format: 'ascmhl-v2',
    version,
    creator,
    ...(process ? { process } : {}),
    ...(rootHashNode ? { rootHash: directoryHashes(rootHashNode, '', '<roothash>') } : {}),
    ignore: list(list(processInfo['ignore'])[0]?.['pattern']).map((p) => text(p) ?? ''),
    entries,
    directories: list(hashes['directoryhash']).map((d) =>
      directoryHashes(d, text(d['path']) ?? '', `<directoryhash> "${text(d['path'])}"`),
    ),
    references: list(list(root['references'])[0]?.['hashlistreference']).map((r) => ({
      path: text(r['path']) ?? '',
      c4: text(r['c4']) ?? '',
    })),
  };
}

export function parseChain(bytes: Uint8Array): ChainEntry[] {
  const root = parseXml(decodeXml(bytes))['ascmhldirectory'] as XmlNode | undefined;
  if (!root) throw new ManifestError('not an ASC MHL chain file: no <ascmhldirectory> element');
  return list(root['hashlist']).map((entry) => {
    const sequence = Number(attribute(entry, 'sequencenr'));
    const path = text(entry['path']);
    const c4 = text(entry['c4']);
    if (!Number.isInteger(sequence) || !path || !c4) {
      throw new ManifestError('a chain <hashlist> lacks its sequencenr, <path> or <c4>');
    }
    return { sequence, path, c4 };
  });
}

// ---- writing -------------------------------------------------------------------------------

/**
 * The hash elements ASC MHL v2 allows, in the order its XSD requires them (a sequence, each at
 * most once) inside `<hash>`, `<content>` and `<structure>`. XXH32 has none: it cannot be written.
 */
export const MHL_V2_ALGORITHMS = [
  'c4',
  'md5',
  'sha1',
  'xxh128',
  'xxh3',
  'xxh64',
] as const satisfies readonly HashAlgorithm[];

export function isMhlV2Algorithm(algorithm: string): algorithm is (typeof MHL_V2_ALGORITHMS)[number] {
  return (MHL_V2_ALGORITHMS as readonly string[]).includes(algorithm);
}

/** Characters XML 1.0 cannot carry at all, not even as a character reference. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/u;

/**
 * Escapes text for element content and attributes. CR, LF and tab become character references
 * (a parser would turn a literal CR into LF, and LF or tab in an attribute into a space), and so
 * do leading and trailing spaces (readers trim values), so any name a file system allows, short
 * of the control characters XML cannot hold, comes back as it was.
 */
function escape(value: string): string {
  if (NOT_XML.test(value)) {
    throw new ManifestError(`"${JSON.stringify(value).slice(1, -1)}" holds a character XML cannot carry`);
  }
  const escaped = value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll('\r', '&#13;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\t', '&#9;');
  return escaped.replace(/^ +| +$/g, (spaces) => '&#32;'.repeat(spaces.length));
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escape(String(v))}"`)
    .join('');
}

/** The hashes the XSD allows, one per algorithm, in its order. */
function hashElements(hashes: ExpectedHash[], indent: string): string[] {
  const byAlgorithm = new Map(
    hashes.filter((h) => isMhlV2Algorithm(h.algorithm)).map((h) => [h.algorithm, h]),
  );
  return MHL_V2_ALGORITHMS.flatMap((a) => byAlgorithm.get(a) ?? []).map(
    (h) =>
      `${indent}<${h.algorithm}${attrs({ action: h.action, hashdate: h.hashDate })}>${escape(h.value)}</${h.algorithm}>`,
  );
}

function directoryElements(d: DirectoryHashes, indent: string): string[] {
  return [
    `${indent}<content>`,
    ...hashElements(d.content, `${indent}  `),
    `${indent}</content>`,
    `${indent}<structure>`,
    ...hashElements(d.structure, `${indent}  `),
    `${indent}</structure>`,
  ];
}

/** Serializes a generation as ASC MHL v2 XML (UTF-8). */
export function writeMhlV2(generation: Omit<MhlV2Generation, 'format' | 'version'>): string {
  const c = generation.creator;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<hashlist version="2.0" xmlns="urn:ASC:MHL:v2.0">',
    '  <creatorinfo>',
    `    <creationdate>${escape(c.creationDate)}</creationdate>`,
    ...(c.hostname ? [`    <hostname>${escape(c.hostname)}</hostname>`] : []),
    ...(c.tool ? [`    <tool${attrs({ version: c.toolVersion })}>${escape(c.tool)}</tool>`] : []),
    ...c.authors.map(
      (a) =>
        `    <author${attrs({ email: a.email, phone: a.phone, role: a.role })}>${escape(a.name)}</author>`,
    ),
    ...(c.location ? [`    <location>${escape(c.location)}</location>`] : []),
    ...(c.comment ? [`    <comment>${escape(c.comment)}</comment>`] : []),
    '  </creatorinfo>',
    '  <processinfo>',
    `    <process>${escape(generation.process ?? 'in-place')}</process>`,
    ...(generation.rootHash
      ? ['    <roothash>', ...directoryElements(generation.rootHash, '      '), '    </roothash>']
      : []),
    ...(generation.ignore.length
      ? [
          '    <ignore>',
          ...generation.ignore.map((p) => `      <pattern>${escape(p)}</pattern>`),
          '    </ignore>',
        ]
      : []),
    '  </processinfo>',
    '  <hashes>',
  ];
  for (const entry of generation.entries) {
    lines.push(
      '    <hash>',
      `      <path${attrs({ size: entry.size, lastmodificationdate: entry.lastModified })}>${escape(entry.path)}</path>`,
      ...hashElements(entry.hashes, '      '),
      '    </hash>',
    );
  }
  for (const d of generation.directories) {
    lines.push(
      '    <directoryhash>',
      `      <path${attrs({ lastmodificationdate: d.lastModified })}>${escape(d.path)}</path>`,
      ...directoryElements(d, '      '),
      '    </directoryhash>',
    );
  }
  lines.push('  </hashes>');
  if (generation.references.length) {
    lines.push(
      '  <references>',
      ...generation.references.flatMap((r) => [
        '    <hashlistreference>',
        `      <path>${escape(r.path)}</path>`,
        `      <c4>${escape(r.c4)}</c4>`,
        '    </hashlistreference>',
      ]),
      '  </references>',
    );
  }
  lines.push('</hashlist>', '');
  return lines.join('\n');
}

export function writeChain(entries: ChainEntry[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ascmhldirectory xmlns="urn:ASC:MHL:DIRECTORY:v2.0">',
    ...entries.flatMap((e) => [
      `  <hashlist sequencenr="${e.sequence}">`,
      `    <path>${escape(e.path)}</path>`,
      `    <c4>${escape(e.c4)}</c4>`,
      '  </hashlist>',
    ]),
    '</ascmhldirectory>',
    '',
  ].join('\n');
}

/** `0003_A002R2EC_2020-01-17_143000Z.mhl` for generation 3 of folder A002R2EC at `date`. */
export function generationFileName(sequence: number, folderName: string, date: Date): string {
  const iso = date.toISOString(); // 2020-01-17T14:30:00.000Z
  const stamp = `${iso.slice(0, 10)}_${iso.slice(11, 19).replaceAll(':', '')}Z`;
  return `${String(sequence).padStart(4, '0')}_${folderName}_${stamp}.mhl`;
}
