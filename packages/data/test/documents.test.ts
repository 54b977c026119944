import type { ManifestEntry } from '@rushes/engine';
import { describe, expect, it } from 'vitest';
import {
  DocumentError,
  manifestEntriesDocument,
  readClipMetadata,
  readManifestEntries,
} from '../src/documents.ts';

const entry: ManifestEntry = {
  path: 'CLIPS/A001C001.mov',
  size: 1024,
  hashes: [{ algorithm: 'xxh64', value: '0123456789abcdef', action: 'original' }],
};

describe('jsonb documents', () => {
  it('reads manifest entries as stored (JSON round trip) with their types', () => {
    const stored: unknown = JSON.parse(JSON.stringify(manifestEntriesDocument([entry])));
    expect(readManifestEntries(stored, 'ascmhl/0001.mhl')).toEqual([entry]);
  });

  it('refuses an entry with an unknown hash algorithm, naming the manifest and the field', () => {
    const bad = [{ ...entry, hashes: [{ algorithm: 'crc32', value: 'x' }] }];
    expect(() => readManifestEntries(bad, 'ascmhl/0001.mhl')).toThrow(DocumentError);
    expect(() => readManifestEntries(bad, 'ascmhl/0001.mhl')).toThrow(
      /the entries of manifest ascmhl\/0001\.mhl is not valid:[\s\S]*hashes/,
    );
  });

  it('says a clip has not been probed when its metadata is null, and refuses a document of another shape', () => {
    expect(() => readClipMetadata(null, 'c1')).toThrow('clip c1 has not been probed yet');
    expect(() => readClipMetadata({ identity: 'nope' }, 'c1')).toThrow(
      /the metadata of clip c1 is not valid/,
    );
  });
});
