import { describe, expect, it } from 'vitest';
import { decodeBcdTimecode, parseDpxHeader } from '../src/sequence/dpx.ts';
import { findSequences, sequenceName } from '../src/sequence/find.ts';

describe('findSequences', () => {
  it('groups numbered frames into one sequence, finds gaps, leaves the rest alone', () => {
    const { sequences, singles } = findSequences([
      'A001C001_0086400.dpx',
      'A001C001_0086401.dpx',
      'A001C001_0086403.dpx',
      'plate.1001.exr',
      'plate.1002.exr',
      'notes.txt',
      'still_01.tif',
      'clip.mov',
    ]);
    expect(sequences).toEqual([
      expect.objectContaining({
        pattern: 'A001C001_%07d.dpx',
        first: 86400,
        last: 86403,
        missing: [86402],
        files: ['A001C001_0086400.dpx', 'A001C001_0086401.dpx', 'A001C001_0086403.dpx'],
      }),
      expect.objectContaining({ pattern: 'plate.%04d.exr', first: 1001, last: 1002, missing: [] }),
    ]);
    expect(singles).toEqual(['clip.mov', 'notes.txt', 'still_01.tif']);
    expect(sequenceName(sequences[0]!)).toBe('A001C001');
    expect(sequenceName(sequences[1]!)).toBe('plate');
  });

  it('keeps sequences with different padding or extensions apart', () => {
    const { sequences } = findSequences([
      'a_001.dpx',
      'a_002.dpx',
      'a_0001.dpx',
      'a_0002.dpx',
      'a_003.exr',
      'a_004.exr',
    ]);
    expect(sequences.map((s) => s.pattern)).toEqual(['a_%03d.dpx', 'a_%03d.exr', 'a_%04d.dpx']);
  });
});

describe('DPX', () => {
  it('decodes BCD timecode', () => {
    expect(decodeBcdTimecode(0x01000000)).toBe('01:00:00:00');
    expect(decodeBcdTimecode(0x23595923)).toBe('23:59:59:23');
    expect(decodeBcdTimecode(0xffffffff)).toBeUndefined();
    expect(decodeBcdTimecode(0x0a000000)).toBeUndefined();
  });

  it('reads a big-endian header with television timecode and frame rate', () => {
    const b = Buffer.alloc(2048);
    b.write('SDPX', 0, 'latin1');
    b.writeUInt32BE(8192, 4);
    b.write('V2.0', 8, 'latin1');
    b.write('Scanner 3000', 160, 'latin1');
    b.writeUInt32BE(4096, 772);
    b.writeUInt32BE(3112, 776);
    b[800] = 50;
    b[801] = 3;
    b[803] = 10;
    b.writeUInt32BE(0x10203004, 1920);
    b.writeFloatBE(24, 1940);
    expect(parseDpxHeader(b)).toMatchObject({
      bigEndian: true,
      width: 4096,
      height: 3112,
      bitDepth: 10,
      descriptor: 50,
      transfer: 3,
      creator: 'Scanner 3000',
      timecode: '10:20:30:04',
      frameRate: 24,
    });
  });

  it('reads no television header when the image data starts before it', () => {
    const b = Buffer.alloc(2048);
    b.write('XPDS', 0, 'latin1');
    b.writeUInt32LE(1664, 4);
    b.writeUInt32LE(0x01000000, 1920);
    expect(parseDpxHeader(b)?.timecode).toBeUndefined();
    expect(parseDpxHeader(Buffer.alloc(2048))).toBeUndefined();
  });
});
