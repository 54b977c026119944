/** The remote CLI's pure parts and its journal files (in a temporary folder). */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newJournal, withPart } from '@rushes/upload-client/journal';
import { afterAll, describe, expect, it } from 'vitest';
import { fileJournals, journalFolder } from '../src/remote/file-journals.ts';
import { filesToUpload, hashMismatches } from '../src/remote/remote-ingest.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'rushes-journals-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('upload journals in files', () => {
  it('live in the user’s cache folder, never on the card', () => {
    expect(journalFolder({ XDG_CACHE_HOME: '/var/cache/me' }, '/home/me')).toBe(
      '/var/cache/me/rushes/uploads',
    );
    expect(journalFolder({}, '/home/me')).toBe('/home/me/.cache/rushes/uploads');
  });

  it('keep each production’s journals in one private file, gone when the last is removed', () => {
    const journals = fileJournals(path.join(folder, 'uploads'), 'UHJvZHVjdGlvbjox/..');
    const file = path.join(folder, 'uploads', 'UHJvZHVjdGlvbjox___.json');
    const journal = withPart(
      newJournal('r1', 'A001', [{ path: 'a.mov', size: 10, lastModified: 1 }]),
      'a.mov',
      'u',
      8,
      {
        partNumber: 1,
        etag: '"e1"',
      },
    );
    journals.put(journal);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ A001: journal });
    expect(fileJournals(path.join(folder, 'uploads'), 'UHJvZHVjdGlvbjox/..').get('A001')).toEqual(journal);
    journals.remove('A001');
    expect(existsSync(file)).toBe(false);
    writeFileSync(file, '{half a jour');
    expect(journals.all()).toEqual([]);
  });
});

describe('remote ingest rules', () => {
  it('leaves hidden files behind', () => {
    const files = ['A001C001.mov', '.DS_Store', 'CLIPS/._A001C002.mov', 'ascmhl/0001.mhl'].map((p) => ({
      path: p,
      size: 1,
      modifiedMs: 0,
    }));
    expect(filesToUpload(files).map((f) => f.path)).toEqual(['A001C001.mov', 'ascmhl/0001.mhl']);
  });

  it('reports clips whose server hash differs from the one computed while sending', () => {
    const sent = [
      { path: 'a.mov', size: 1, xxh64: 'aa', skipped: false, resumedBytes: 0 },
      { path: 'b.mov', size: 1, xxh64: '', skipped: true, resumedBytes: 0 },
    ];
    const clip = (p: string, value: string) => ({
      path: p,
      state: 'ready',
      errorCode: null,
      errorMessage: null,
      checksums: [{ algorithm: 'xxh64', value }],
    });
    expect(hashMismatches(sent, [clip('a.mov', 'aa'), clip('b.mov', 'zz')])).toEqual([]);
    expect(hashMismatches(sent, [clip('a.mov', 'ab')])).toEqual(['a.mov: sent xxh64 aa, the server has ab']);
  });
});
