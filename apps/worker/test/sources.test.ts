import { describe, expect, it } from 'vitest';
import { isMediaFile } from '../src/ingest.ts';
import { isManifestFile, parseS3Location } from '../src/sources.ts';

describe('ingest locations', () => {
  it.each([
    ['s3://dailies-bucket/A001', { bucket: 'dailies-bucket', prefix: 'A001/' }],
    ['s3://dailies-bucket/day 1/A001/', { bucket: 'dailies-bucket', prefix: 'day 1/A001/' }],
    ['s3://dailies-bucket', { bucket: 'dailies-bucket', prefix: '' }],
    ['s3://Bad_Bucket/x', undefined],
    ['/Volumes/A001', undefined],
  ])('%s → %o', (location, expected) => expect(parseS3Location(location)).toEqual(expected));

  it('tells clips, manifests and sidecars apart', () => {
    expect(
      ['A001C001.MXF', 'ascmhl/0001_A001.mhl', 'A001.mhl', 'A001C001.xml'].map((f) => [
        isMediaFile(f),
        isManifestFile(f),
      ]),
    ).toEqual([
      [true, false],
      [false, true],
      [false, true],
      [false, false],
    ]);
  });
});
