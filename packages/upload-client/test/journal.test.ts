/** The upload journal: what an interrupted upload sent, and whether a folder is the same card. */
import { describe, expect, it } from 'vitest';
import {
  mismatch,
  newJournal,
  sentBytes,
  sentParts,
  withFinished,
  withoutParts,
  withPart,
} from '../src/journal.ts';

const MiB = 1024 * 1024;
const files = [
  { path: 'A001C001.mov', size: 3 * MiB, lastModified: 1 },
  { path: 'A001C002.mov', size: 20 * MiB, lastModified: 2 },
  { path: 'ascmhl/0001.mhl', size: 900, lastModified: 3 },
];

describe('the upload journal', () => {
  it('counts finished files whole and sent parts by their size, the last part holding the rest', () => {
    let journal = newJournal('roll', 'A001', files, 0);
    expect(sentBytes(journal)).toBe(0);
    journal = withFinished(journal, 'A001C001.mov');
    journal = withPart(journal, 'A001C002.mov', 'u1', 8 * MiB, { partNumber: 3, etag: 'c' });
    expect(sentBytes(journal)).toBe(3 * MiB + 4 * MiB);
    journal = withPart(journal, 'A001C002.mov', 'u1', 8 * MiB, { partNumber: 1, etag: 'a' });
    expect(sentBytes(journal)).toBe(3 * MiB + 12 * MiB);
    expect(sentParts(journal, 'A001C002.mov', 'u1')).toEqual([
      { partNumber: 3, etag: 'c' },
      { partNumber: 1, etag: 'a' },
    ]);
    // The api started that file over (another upload id): its old parts do not count.
    expect(sentParts(journal, 'A001C002.mov', 'u2')).toEqual([]);
    const restarted = withPart(journal, 'A001C002.mov', 'u2', 8 * MiB, { partNumber: 1, etag: 'z' });
    expect(sentParts(restarted, 'A001C002.mov', 'u2')).toEqual([{ partNumber: 1, etag: 'z' }]);
    expect(sentBytes(withoutParts(journal, 'A001C002.mov'))).toBe(3 * MiB);
    const finished = withFinished(journal, 'A001C002.mov');
    expect(finished.parts).toEqual({});
    expect(sentBytes(finished)).toBe(23 * MiB);
  });

  it('resumes only from the same card: same name, files, sizes and modification times', () => {
    const journal = newJournal('roll', 'A001', files);
    expect(mismatch(journal, 'A001', files)).toBeNull();
    expect(mismatch(journal, 'A002', files)).toBe('That folder is A002; the interrupted upload is A001.');
    expect(mismatch(journal, 'A001', files.slice(1))).toBe(
      '1 file(s) of A001 are not in that folder, e.g. A001C001.mov.',
    );
    expect(mismatch(journal, 'A001', [{ ...files[0]!, lastModified: 9 }, ...files.slice(1)])).toMatch(
      /^A001C001\.mov has changed since the upload started/,
    );
    expect(mismatch(journal, 'A001', [...files, { path: 'extra.wav', size: 1, lastModified: 1 }])).toBe(
      'That folder holds 1 file(s) more than when the upload started.',
    );
  });
});
