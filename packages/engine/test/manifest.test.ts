import { cp, mkdtemp, readFile, rm, unlink, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFile } from '../src/hash/hash-file.ts';
import { legacyHash, parseMhlV1 } from '../src/manifest/ascmhl-v1.ts';
import { parseChain, parseMhlV2 } from '../src/manifest/ascmhl-v2.ts';
import { createGeneration } from '../src/manifest/create.ts';
import { verifyFolder } from '../src/manifest/verify.ts';
import { ManifestError, detectXmlEncoding } from '../src/manifest/xml.ts';

const samples = path.resolve(import.meta.dirname, '../../../../shared/samples');
const v1 = (...p: string[]) => path.join(samples, 'mhl_v1', ...p);
const scenario = path.join(samples, 'mhl_v2/scenario_03/file_server/A002R2EC');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'rushes-mhl-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function copyOf(source: string, name: string): Promise<string> {
  const target = path.join(scratch, name);
  await cp(source, target, { recursive: true });
  return target;
}

describe('legacy MHL (v1)', () => {
  it.each([
    ['mhl_verify_md5', 'md5.mhl', 'md5'],
    ['mhl_verify_sha1', 'sha1.mhl', 'sha1'],
    ['mhl_verify_xxhash64be', 'xxhash64be.mhl', 'xxh64'],
  ])('verifies the real %s folder in place', async (folder, manifest, algorithm) => {
    const parsed = parseMhlV1(await readFile(v1(folder, manifest)));
    expect(parsed.entries.map((e) => e.path)).toEqual(['file0.txt', 'file1.txt', 'file2.txt']);
    expect(parsed.entries.every((e) => e.hashes[0]?.algorithm === algorithm)).toBe(true);
    const report = await verifyFolder(v1(folder));
    expect(report).toMatchObject({ kind: 'ascmhl-v1', ok: true, manifests: [manifest] });
    expect(report.counts).toMatchObject({ ok: 3, mismatch: 0, missing: 0, new: 0 });
  });

  it('accepts <null/> entries by presence and size', async () => {
    const parsed = parseMhlV1(await readFile(v1('mhl_verify_null', 'null.mhl')));
    expect(parsed.entries.map((e) => e.hashes)).toEqual([[], [], []]);
    const report = await verifyFolder(v1('mhl_verify_null'));
    expect(report.ok).toBe(true);
    expect(report.files[0]!.message).toContain('records no hash');
  });

  it('reads UTF-8, UTF-16BE without a BOM (declaring UTF-8!) and ISO-8859-15 to the same text', async () => {
    const names = [
      'aux_files_utf-8_unixln_mixed_2012-12-14_165427.mhl',
      'aux_files_utf-16be_winln_mixed_2012-12-14_165427.mhl',
      'aux_files_iso-8859-15_unixln_Umlaute_2012-12-15_174005.mhl',
    ];
    const [utf8, utf16, latin9] = await Promise.all(
      names.map(async (n) => parseMhlV1(await readFile(v1('encodings', n)))),
    );
    expect(detectXmlEncoding(await readFile(v1('encodings', names[1]!)))).toBe('utf-16be');
    expect(utf16!.entries).toEqual(utf8!.entries);
    for (const list of [utf8!, utf16!, latin9!]) {
      for (const entry of list.entries) {
        expect(entry.size).toBe(277);
        expect(entry.hashes).toEqual([
          { algorithm: 'md5', value: 'd29593e2cf81c621fb3c4089f9bbde4a', hashDate: expect.any(String) },
        ]);
      }
    }
    const paths = [...utf8!.entries, ...latin9!.entries].map((e) => e.path).join('\n');
    expect(paths).toContain('CAFÉ');
    expect(paths).toContain('Straße');
  });

  it('converts the legacy xxHash forms: XXH32 decimal and little-endian XXH64', () => {
    expect(legacyHash('xxhash', '0123456789')).toEqual({ algorithm: 'xxh32', value: '075bcd15' });
    expect(legacyHash('xxhash64', '9de946da37fb0e0e')).toEqual({
      algorithm: 'xxh64',
      value: '0e0efb37da46e99d',
    });
    expect(() => legacyHash('xxhash', 'abc')).toThrow('not a decimal 32-bit number');
    expect(() => legacyHash('md5', '123')).toThrow('not a 128-bit hex digest');
  });

  it('verifies legacy xxhash (XXH32 decimal) and xxhash64 (little-endian) written by older tools', async () => {
    const folder = path.join(scratch, 'legacy-xx');
    await cp(v1('mhl_verify_md5'), folder, { recursive: true });
    await unlink(path.join(folder, 'md5.mhl'));
    const file = path.join(folder, 'file0.txt');
    const { xxh32, xxh64 } = await hashFile(file, ['xxh32', 'xxh64']);
    const little = xxh64!.match(/../g)!.reverse().join('');
    // UTF-16LE with a BOM, as some Windows tools write.
    const xml = `\ufeff<?xml version="1.0" encoding="UTF-16"?>\n<hashlist version="1.1"><hash><file>file0.txt</file><size>555</size><xxhash>${parseInt(xxh32!, 16)}</xxhash><xxhash64>${little}</xxhash64></hash></hashlist>`;
    await writeFile(path.join(folder, 'legacy.mhl'), Buffer.from(xml, 'utf16le'));
    const report = await verifyFolder(folder);
    expect(report.files.find((f) => f.path === 'file0.txt')).toMatchObject({ status: 'ok' });
    expect(report.counts.new).toBe(2);
  });
});

describe('ASC MHL v2', () => {
  it('verifies the real two-generation history and its chain', async () => {
    const report = await verifyFolder(scenario);
    expect(report).toMatchObject({ kind: 'ascmhl-v2', ok: true });
    expect(report.counts).toMatchObject({ ok: 3, mismatch: 0, missing: 0, new: 0 });
    expect(report.chain).toEqual([
      expect.objectContaining({ generation: 'ascmhl/0001_A002R2EC_2020-01-16_091500Z.mhl', ok: true }),
      expect.objectContaining({ generation: 'ascmhl/0002_A002R2EC_2020-01-17_143000Z.mhl', ok: true }),
    ]);
    const clip = report.files.find((f) => f.path === 'Clips/A002C006_141024_R2EC.mov')!;
    expect(clip.actual).toEqual({ xxh64: '0ea03b369a463d9d', md5: 'f5ac8127b3b6b85cdc13f237c6005d80' });
  });

  it('parses the schema example: authors, location, failed action, metadata, references', async () => {
    const g = parseMhlV2(
      await readFile(path.join(samples, 'mhl_v2/xsd_example_0001_TEST01_2019-10-11_155603.mhl')),
    );
    expect(g.creator).toMatchObject({
      hostname: 'donkey.local',
      tool: 'ascmhl-tool',
      toolVersion: '0.0.3',
      location: 'Munich, Germany',
    });
    expect(g.creator.authors).toEqual([
      { name: 'Liz Foo', email: 'foo@bar.foo.foo.com', phone: '+1 234 567 890 88' },
      { name: 'Ben Zed', email: 'zed@bar.foo.foo.com', phone: '+1 234 567 890 99' },
    ]);
    expect(g.entries.find((e) => e.path === 'Sidecar.txt')!.hashes).toEqual([
      { algorithm: 'xxh64', value: '3ab5a4166b9bde44', action: 'failed' },
    ]);
    expect(g.directories[0]).toMatchObject({ path: 'Clips', content: [{ value: '7680e5f98f4a80fd' }] });
    expect(g.references.map((r) => r.path)).toEqual([
      'A002R2EC/ascmhl/A002R2EC_2020-01-17_143000_0002.mhl',
      'A003R2EC/ascmhl/A003R2EC_2020-01-17_143000_0002.mhl',
    ]);
    expect(
      parseChain(await readFile(path.join(samples, 'mhl_v2/xsd_example_ascmhl_chain.xml'))).length,
    ).toBeGreaterThan(0);
  });

  it('reports a changed file, a missing file, a new file and a tampered generation', async () => {
    const folder = await copyOf(scenario, 'tampered');
    await appendFile(path.join(folder, 'Sidecar.txt'), 'x');
    await writeFile(path.join(folder, 'Clips/A002C006_141024_R2EC.mov'), 'abcde'); // same size, other bytes
    await unlink(path.join(folder, 'Clips/A002C007_141024_R2EC.mov'));
    await writeFile(path.join(folder, 'Clips/extra.mov'), 'new');
    const generation = path.join(folder, 'ascmhl/0001_A002R2EC_2020-01-16_091500Z.mhl');
    await appendFile(generation, '\n');
    const report = await verifyFolder(folder);
    expect(report.ok).toBe(false);
    const status = Object.fromEntries(report.files.map((f) => [f.path, f.status]));
    expect(status).toEqual({
      'Clips/A002C006_141024_R2EC.mov': 'mismatch',
      'Clips/A002C007_141024_R2EC.mov': 'missing',
      'Clips/extra.mov': 'new',
      'Sidecar.txt': 'size_mismatch',
    });
    expect(report.files.find((f) => f.status === 'mismatch')!.message).toMatch(
      /xxh64 is \w+, expected 0ea03b369a463d9d/,
    );
    expect(report.chain.map((c) => c.ok)).toEqual([false, true]);
  });

  it('continues a history with a generation that verifies, reproducing the root hash', async () => {
    const folder = await copyOf(scenario, 'continued');
    const created = await createGeneration(folder, { now: new Date('2026-11-25T12:00:00Z') });
    expect(path.basename(created.file)).toBe('0003_continued_2026-11-25_120000Z.mhl');
    expect(created.failed).toEqual([]);
    const g = parseMhlV2(await readFile(created.file));
    // Same files, same xxh64 root hash as the first generation written by the reference tool.
    expect(g.rootHash!.content[0]!.value).toBe('8d02114c32e28cbe');
    expect(g.rootHash!.structure[0]!.value).toBe('f557f8ca8e5a88ef');
    expect(
      g.entries.find((e) => e.path === 'Sidecar.txt')!.hashes.map((h) => [h.algorithm, h.action]),
    ).toEqual([
      // The XSD's order (c4, md5, sha1, xxh128, xxh3, xxh64), whatever order they were asked in.
      ['md5', 'verified'],
      ['xxh64', 'verified'],
    ]);
    const report = await verifyFolder(folder);
    expect(report.ok).toBe(true);
    expect(report.chain).toHaveLength(3);
  });

  it('starts a history for a folder without one, and marks later changes failed', async () => {
    const folder = path.join(scratch, 'fresh');
    await cp(v1('mhl_verify_md5'), folder, { recursive: true });
    await unlink(path.join(folder, 'md5.mhl'));
    const first = await createGeneration(folder, { algorithm: 'md5', now: new Date('2026-01-01T00:00:00Z') });
    expect(first.sequence).toBe(1);
    expect(first.entries.every((e) => e.hashes[0]!.action === 'original')).toBe(true);
    await writeFile(path.join(folder, 'file1.txt'), 'changed');
    const second = await createGeneration(folder, { now: new Date('2026-01-02T00:00:00Z') });
    expect(second.failed).toEqual(['file1.txt']);
    expect((await verifyFolder(folder)).files.find((f) => f.path === 'file1.txt')!.status).toBe(
      'size_mismatch',
    );
  });
});

describe('hostile and broken manifests', () => {
  it('never reads outside the folder', async () => {
    const folder = path.join(scratch, 'hostile');
    await cp(v1('mhl_verify_md5'), folder, { recursive: true });
    await writeFile(
      path.join(folder, 'md5.mhl'),
      '<hashlist version="1.0"><hash><file>../../../../etc/passwd</file><md5>00000000000000000000000000000000</md5></hash></hashlist>',
    );
    const report = await verifyFolder(folder);
    expect(report.files.find((f) => f.path.includes('passwd'))).toMatchObject({
      status: 'unsafe_path',
      actual: {},
    });
    expect(report.ok).toBe(false);
  });

  it('refuses malformed XML, other XML and empty hashes with a reason', () => {
    expect(() => parseMhlV1(Buffer.from('<hashlist version="1.0"><hash>'))).toThrow(ManifestError);
    expect(() => parseMhlV1(Buffer.from('<html></html>'))).toThrow('no <hashlist> element');
    expect(() => parseMhlV1(Buffer.from('<hashlist version="2.0"/>'))).toThrow('not a legacy MHL');
    expect(() => parseMhlV2(Buffer.from('<hashlist version="1.0"/>'))).toThrow('not an ASC MHL v2 file');
    // A bad entry is reported by number and name; the list itself is still read.
    expect(
      parseMhlV1(Buffer.from('<hashlist version="1.0"><hash><file>a</file></hash></hashlist>')),
    ).toMatchObject({
      entries: [],
      problems: [{ entry: 1, file: 'a', message: '<hash> for "a" has no hash element' }],
    });
    expect(() => parseMhlV1(Buffer.from('<?xml version="1.0" encoding="EBCDIC-XYZ"?><hashlist/>'))).toThrow(
      'unsupported XML encoding',
    );
  });
});
