/**
 * Manifests as they arrive and as we write them: legacy MHLs in every Unicode encoding, ASC MHL v2
 * generations checked against the ASC's own XSD with xmllint, file names of every kind a file
 * system allows, and broken manifests or entries that must not stop the rest from verifying.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HashAlgorithm } from '../src/hash/algorithms.ts';
import { hashFile } from '../src/hash/hash-file.ts';
import { parseMhlV1 } from '../src/manifest/ascmhl-v1.ts';
import { parseMhlV2 } from '../src/manifest/ascmhl-v2.ts';
import { createGeneration } from '../src/manifest/create.ts';
import { verifyFolder } from '../src/manifest/verify.ts';
import { detectXmlEncoding, ManifestError } from '../src/manifest/xml.ts';

const samples = path.resolve(import.meta.dirname, '../../../../shared/samples');
const v1 = (...p: string[]) => path.join(samples, 'mhl_v1', ...p);
const xsd = path.resolve(import.meta.dirname, 'fixtures/ascmhl/ASCMHL.xsd');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'rushes-mhl-conf-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** The ASC MHL v2 XSD's verdict on a file, by libxml2's validator. */
async function validate(file: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile('xmllint', ['--noout', '--schema', xsd, file], (error, stdout, stderr) =>
      resolve({ ok: !error, output: `${stdout}${stderr}` }),
    );
  });
}

/** UTF-32 of a string, as no TextEncoder writes it. */
function utf32(text: string, littleEndian: boolean): Buffer {
  const points = [...text].map((c) => c.codePointAt(0)!);
  const bytes = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => (littleEndian ? bytes.writeUInt32LE(p, i * 4) : bytes.writeUInt32BE(p, i * 4)));
  return bytes;
}

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

describe('legacy MHL in UTF-8, UTF-16 and UTF-32, with or without a BOM', () => {
  it('reads the real UTF-8 list re-encoded every way to the same entries', async () => {
    const original = await readFile(v1('encodings', 'aux_files_utf-8_unixln_mixed_2012-12-14_165427.mhl'));
    const text = original.toString('utf8').replace(/^\ufeff/, '');
    const expected = parseMhlV1(original).entries;
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.map((e) => e.path).join('\n')).toContain('CAFÉ');
    const variants: [string, Buffer][] = [
      ['utf-8', Buffer.from(`\ufeff${text}`, 'utf8')],
      ['utf-16le', Buffer.from(`\ufeff${text}`, 'utf16le')],
      ['utf-16le', Buffer.from(text, 'utf16le')],
      ['utf-16be', utf16be(`\ufeff${text}`)],
      ['utf-16be', utf16be(text)],
      ['utf-32le', utf32(`\ufeff${text}`, true)],
      ['utf-32le', utf32(text, true)],
      ['utf-32be', utf32(`\ufeff${text}`, false)],
      ['utf-32be', utf32(text, false)],
    ];
    for (const [encoding, bytes] of variants) {
      expect(detectXmlEncoding(bytes)).toBe(encoding);
      expect(parseMhlV1(bytes).entries).toEqual(expected);
    }
  });

  it('verifies a folder whose MHL is UTF-32', async () => {
    const folder = path.join(scratch, 'utf32');
    await cp(v1('mhl_verify_md5'), folder, { recursive: true });
    const text = (await readFile(path.join(folder, 'md5.mhl'), 'utf8')).replace(
      'encoding="UTF-8"',
      'encoding="UTF-32"',
    );
    await unlink(path.join(folder, 'md5.mhl'));
    await writeFile(path.join(folder, 'md5.mhl'), utf32(`\ufeff${text}`, true));
    const report = await verifyFolder(folder);
    expect(report).toMatchObject({ kind: 'ascmhl-v1', ok: true, problems: [] });
    expect(report.counts).toMatchObject({ ok: 3, new: 0 });
  });

  it('refuses a cut UTF-32 document with a reason', () => {
    expect(() => parseMhlV1(utf32('<hashlist version="1.0"/>', false).subarray(0, 10))).toThrow(
      'not valid UTF-32: its length is not a multiple of 4',
    );
  });
});

describe('a bad manifest or entry does not stop the rest', () => {
  it('names an unreadable MHL and still verifies the files another MHL lists', async () => {
    const folder = path.join(scratch, 'one-bad-manifest');
    await cp(v1('mhl_verify_md5'), folder, { recursive: true });
    // Odd length: neither UTF-32 nor anything else readable.
    await writeFile(
      path.join(folder, 'broken.mhl'),
      Buffer.concat([utf32('<hashlist', false), Buffer.from([0])]),
    );
    const report = await verifyFolder(folder);
    expect(report.problems).toEqual([
      {
        manifest: 'broken.mhl',
        message: expect.stringMatching(/^broken\.mhl: the document is not valid UTF-32/),
      },
    ]);
    expect(report.counts).toMatchObject({ ok: 3, mismatch: 0, missing: 0 });
    expect(report.ok).toBe(false);
  });

  it('reports a bad entry by the file it names; the other entries verify', async () => {
    const folder = path.join(scratch, 'one-bad-entry');
    await cp(v1('mhl_verify_md5'), folder, { recursive: true });
    const text = await readFile(path.join(folder, 'md5.mhl'), 'utf8');
    const file1 = /<file>file1\.txt<\/file>[\s\S]*?<md5>([0-9a-f]+)<\/md5>/.exec(text)![1]!;
    await unlink(path.join(folder, 'md5.mhl'));
    await writeFile(path.join(folder, 'md5.mhl'), text.replace(file1, 'not-a-digest'));
    const report = await verifyFolder(folder);
    expect(report.files.map((f) => [f.path, f.status])).toEqual([
      ['file0.txt', 'ok'],
      ['file1.txt', 'bad_entry'],
      ['file2.txt', 'ok'],
    ]);
    expect(report.files[1]!.message).toBe(
      'md5.mhl, entry 2: <md5> "not-a-digest" is not a 128-bit hex digest',
    );
    expect(report.ok).toBe(false);
  });

  it('names a broken ASC MHL generation and verifies against the others', async () => {
    const folder = path.join(scratch, 'bad-generation');
    await cp(path.join(samples, 'mhl_v2/scenario_03/file_server/A002R2EC'), folder, { recursive: true });
    const second = path.join(folder, 'ascmhl/0002_A002R2EC_2020-01-17_143000Z.mhl');
    await unlink(second);
    await writeFile(second, '<hashlist version="2.0"><creatorinfo>');
    const report = await verifyFolder(folder);
    expect(report.problems).toEqual([
      {
        manifest: 'ascmhl/0002_A002R2EC_2020-01-17_143000Z.mhl',
        message: expect.stringMatching(/^ascmhl\/0002_A002R2EC_2020-01-17_143000Z\.mhl: not well-formed XML/),
      },
    ]);
    expect(report.counts).toMatchObject({ ok: 3, mismatch: 0 });
    expect(report.ok).toBe(false);
  });
});

describe('mhl create: valid ASC MHL v2 for every algorithm', () => {
  async function folderWithSubfolder(name: string): Promise<string> {
    const folder = path.join(scratch, name);
    await mkdir(path.join(folder, 'Clips/Audio'), { recursive: true });
    await writeFile(path.join(folder, 'Clips/A001C001.mov'), 'picture');
    await writeFile(path.join(folder, 'Clips/Audio/A001C001.wav'), 'sound');
    await writeFile(path.join(folder, 'Sidecar.txt'), 'notes');
    return folder;
  }

  const single: HashAlgorithm[] = ['md5', 'sha1', 'xxh64', 'xxh128', 'c4', 'xxh3'];
  it.each(single)('%s: validates against the XSD and verifies', async (algorithm) => {
    const folder = await folderWithSubfolder(`create-${algorithm}`);
    const created = await createGeneration(folder, { algorithms: [algorithm] });
    expect(await validate(created.file)).toEqual({ ok: true, output: `${created.file} validates\n` });
    const g = parseMhlV2(await readFile(created.file));
    expect(g.entries.map((e) => e.hashes.map((h) => h.algorithm))).toEqual([
      [algorithm],
      [algorithm],
      [algorithm],
    ]);
    expect(g.directories.map((d) => d.path)).toEqual(['Clips', 'Clips/Audio']);
    expect((await verifyFolder(folder)).counts).toMatchObject({ ok: 3, new: 0 });
  });

  it('writes every algorithm asked for, in the XSD order, for files, folders and the root', async () => {
    const folder = await folderWithSubfolder('create-many');
    const created = await createGeneration(folder, { algorithms: ['sha1', 'md5', 'xxh64', 'c4'] });
    expect((await validate(created.file)).ok).toBe(true);
    const g = parseMhlV2(await readFile(created.file));
    const order = ['c4', 'md5', 'sha1', 'xxh64'];
    for (const entry of g.entries) expect(entry.hashes.map((h) => h.algorithm)).toEqual(order);
    for (const d of [g.rootHash!, ...g.directories]) {
      expect(d.content.map((h) => h.algorithm)).toEqual(order);
      expect(d.structure.map((h) => h.algorithm)).toEqual(order);
    }
    const sidecar = g.entries.find((e) => e.path === 'Sidecar.txt')!;
    const digests = await hashFile(path.join(folder, 'Sidecar.txt'), ['sha1', 'md5', 'xxh64', 'c4']);
    expect(Object.fromEntries(sidecar.hashes.map((h) => [h.algorithm, h.value]))).toEqual(digests);
    const report = await verifyFolder(folder);
    expect(report.ok).toBe(true);
    expect(report.files.every((f) => f.message.startsWith('c4, md5, sha1, xxh64 match'))).toBe(true);
  });

  it('refuses XXH32, which ASC MHL v2 cannot record', async () => {
    const folder = await folderWithSubfolder('create-xxh32');
    await expect(createGeneration(folder, { algorithms: ['xxh32'] })).rejects.toThrow(
      'ASC MHL v2 cannot record "xxh32"',
    );
  });
});

describe('any name a file system allows', () => {
  const names = [
    'CR\rin name.mov',
    'LF\nin name.mov',
    'back\\slash.mov',
    'tab\tname.mov',
    ' leading and trailing spaces ',
    'amp & <angle> "quote" \'apos\'.mov',
    'Cafe\u0301 NFD.wav',
    'Straße 日本 🎬.mov',
    'sub\\dir/inner\r.txt',
    'literal &#13; and &amp; &nbsp;.txt',
  ];

  it('writes them into a valid generation and verifies each one', async () => {
    const folder = path.join(scratch, 'names');
    for (const [i, name] of names.entries()) {
      await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
      await writeFile(path.join(folder, name), `content ${i}`);
    }
    const created = await createGeneration(folder, { algorithms: ['xxh64', 'md5'] });
    expect((await validate(created.file)).ok).toBe(true);
    const written = parseMhlV2(await readFile(created.file)).entries.map((e) => e.path);
    expect([...written].sort()).toEqual([...names].sort());
    const report = await verifyFolder(folder);
    expect(report.counts).toMatchObject({ ok: names.length, new: 0, missing: 0 });
    expect(report.ok).toBe(true);
  });

  it('verifies a legacy MHL naming a file with a backslash, and a Windows path', async () => {
    const folder = path.join(scratch, 'legacy-names');
    await mkdir(path.join(folder, 'sub'), { recursive: true });
    await writeFile(path.join(folder, 'a\\b.txt'), 'literal backslash');
    await writeFile(path.join(folder, 'sub/c.txt'), 'windows separator');
    const md5 = async (p: string) => (await hashFile(path.join(folder, p), ['md5'])).md5!;
    await writeFile(
      path.join(folder, 'list.mhl'),
      `<?xml version="1.0" encoding="UTF-8"?><hashlist version="1.0">
<hash><file>a\\b.txt</file><md5>${await md5('a\\b.txt')}</md5></hash>
<hash><file>sub\\c.txt</file><md5>${await md5('sub/c.txt')}</md5></hash>
</hashlist>`,
    );
    const report = await verifyFolder(folder);
    expect(report.files.map((f) => [f.path, f.status])).toEqual([
      ['a\\b.txt', 'ok'],
      ['sub/c.txt', 'ok'],
    ]);
  });

  it('refuses, by name, a control character XML cannot carry', async () => {
    const folder = path.join(scratch, 'control');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'bell\u0007.mov'), 'x');
    const attempt = createGeneration(folder);
    await expect(attempt).rejects.toThrow(ManifestError);
    await expect(attempt).rejects.toThrow('"bell\\u0007.mov" holds a character XML cannot carry');
  });
});
