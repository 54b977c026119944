/**
 * Issue #15 part 4: truncation decided from the container's own structure. The readers on
 * hand-built headers, then on ffmpeg-made files cut short, then `validate` and `probe` on them.
 */
import { execFile } from 'node:child_process';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.ts';
import {
  berLength,
  bufferReader,
  checkFileStructure,
  checkMxf,
  checkQuickTime,
  checkRiff,
  checkStructure,
  parsePartitionPack,
} from '../src/probe/structure.ts';
import { mediaFolder, pattern, tone, type MediaFolder } from './support/media.ts';

const exec = promisify(execFile);
const samples = path.resolve(import.meta.dirname, '../../../../shared/samples');

// ─── hand-built structures ─────────────────────────────────────────────────────────────────────

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const u64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
const box = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
};
const full = (type: string, flags: number, ...parts: Buffer[]) => box(type, u32(flags), ...parts);

/** A movie whose one track has `chunks` chunks of 2 samples of 100 bytes, from offset `first`. */
function movie(options: {
  first: number;
  chunks: number;
  co64?: boolean;
  selfContained?: boolean;
  stz2?: boolean;
}): Buffer {
  const offsets = Array.from({ length: options.chunks }, (_, i) => options.first + 200 * i);
  const stco = options.co64
    ? full('co64', 0, u32(offsets.length), ...offsets.map(u64))
    : full('stco', 0, u32(offsets.length), ...offsets.map(u32));
  const samples = options.chunks * 2;
  const sizes = options.stz2
    ? full('stz2', 0, Buffer.from([0, 0, 0, 8]), u32(samples), Buffer.alloc(samples, 100))
    : full('stsz', 0, u32(0), u32(samples), ...Array.from({ length: samples }, () => u32(100)));
  const stsc = full('stsc', 0, u32(1), u32(1), u32(2), u32(1));
  const dref = full(
    'dref',
    0,
    u32(1),
    full(options.selfContained === false ? 'alis' : 'url ', options.selfContained === false ? 0 : 1),
  );
  const trak = box('trak', box('mdia', box('minf', box('dinf', dref), box('stbl', stsc, sizes, stco))));
  return box('moov', trak);
}

/** ftyp + moov + mdat holding `chunks` × 200 bytes, with mdat's size as written or 0 (to the end). */
function quicktime(
  chunks: number,
  options: { mdatSize?: 'exact' | 'zero'; co64?: boolean; stz2?: boolean; selfContained?: boolean } = {},
) {
  const ftyp = box('ftyp', Buffer.from('qt  '), u32(0), Buffer.from('qt  '));
  // The moov's size does not depend on the offsets' values: build once to place the mdat.
  const probeMoov = movie({ first: 0, chunks, ...options });
  const first = ftyp.length + probeMoov.length + 8;
  const moov = movie({ first, chunks, ...options });
  const media = Buffer.alloc(200 * chunks, 7);
  const mdat = Buffer.concat([
    u32(options.mdatSize === 'zero' ? 0 : 8 + media.length),
    Buffer.from('mdat'),
    media,
  ]);
  return Buffer.concat([ftyp, moov, mdat]);
}

describe('QuickTime/MP4 structure', () => {
  it('a complete movie fits: boxes and the sample table', async () => {
    expect(await checkQuickTime(bufferReader(quicktime(4)))).toEqual({
      container: 'QuickTime',
      truncated: false,
      detail: 'boxes and the samples of 1 track(s) fit',
    });
  });

  it('an mdat cut short is truncated, with the missing byte count', async () => {
    const whole = quicktime(4);
    const result = await checkQuickTime(bufferReader(whole.subarray(0, whole.length - 150)));
    expect(result).toMatchObject({ truncated: true, missingBytes: 150 });
    expect(result?.detail).toMatch(/'mdat' box/);
  });

  it('an mdat of size 0 (to the end) cut short is caught by the sample table (stco, co64, stz2)', async () => {
    for (const options of [{}, { co64: true }, { stz2: true }]) {
      const whole = quicktime(4, { mdatSize: 'zero', ...options });
      expect((await checkQuickTime(bufferReader(whole)))?.truncated).toBe(false);
      const result = await checkQuickTime(bufferReader(whole.subarray(0, whole.length - 250)));
      expect(result).toMatchObject({ truncated: true, missingBytes: 250 });
      expect(result?.detail).toMatch(/track 1 \(its sample table\)/);
    }
  });

  it('a track whose media is in another file (external data reference) is not held to this one', async () => {
    const whole = quicktime(4, { mdatSize: 'zero', selfContained: false });
    expect((await checkQuickTime(bufferReader(whole.subarray(0, whole.length - 250))))?.truncated).toBe(
      false,
    );
  });

  it('a cut box header, and something that is not a movie', async () => {
    const whole = quicktime(1);
    expect(await checkQuickTime(bufferReader(Buffer.concat([whole, Buffer.from([0, 0, 0])])))).toMatchObject({
      truncated: true,
    });
    expect(await checkQuickTime(bufferReader(Buffer.from('hello, this is text')))).toBeUndefined();
  });
});

const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const chunk = (id: string, body: Buffer) =>
  Buffer.concat([
    Buffer.from(id, 'latin1'),
    le32(body.length),
    body,
    body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0),
  ]);

function wave(dataBytes: number): Buffer {
  const body = Buffer.concat([
    Buffer.from('WAVE'),
    chunk('fmt ', Buffer.alloc(16)),
    chunk('data', Buffer.alloc(dataBytes, 1)),
  ]);
  return Buffer.concat([Buffer.from('RIFF'), le32(body.length), body]);
}

describe('RIFF/RF64/AIFF structure', () => {
  it('a complete WAV fits; cut anywhere it is truncated by the RIFF size', async () => {
    const whole = wave(1000);
    expect(await checkRiff(bufferReader(whole))).toMatchObject({ container: 'RIFF', truncated: false });
    for (const keep of [whole.length - 1, 500, 30]) {
      expect(await checkRiff(bufferReader(whole.subarray(0, keep)))).toMatchObject({
        truncated: true,
        missingBytes: whole.length - keep,
      });
    }
  });

  it('a data chunk larger than the file is truncated even when the RIFF size was never set', async () => {
    const whole = wave(1000);
    whole.writeUInt32LE(0, 4);
    const result = await checkRiff(bufferReader(whole.subarray(0, 800)));
    expect(result).toMatchObject({ truncated: true, missingBytes: whole.length - 800 });
    expect(result?.detail).toMatch(/'data' chunk/);
  });

  it('an odd data chunk without its pad byte at the end is not truncation', async () => {
    const whole = wave(999);
    expect(await checkRiff(bufferReader(whole.subarray(0, whole.length - 1)))).toMatchObject({
      truncated: false,
    });
  });

  it('RF64 takes its sizes from ds64', async () => {
    const data = Buffer.alloc(600, 2);
    const ds64 = Buffer.alloc(28);
    const body = Buffer.concat([
      Buffer.from('WAVE'),
      chunk('ds64', ds64),
      chunk('fmt ', Buffer.alloc(16)),
      Buffer.from('data'),
      le32(0xffffffff),
      data,
    ]);
    ds64.writeBigUInt64LE(BigInt(body.length), 0);
    ds64.writeBigUInt64LE(BigInt(data.length), 8);
    const rebuilt = Buffer.concat([
      Buffer.from('RF64'),
      le32(0xffffffff),
      Buffer.from('WAVE'),
      chunk('ds64', ds64),
      chunk('fmt ', Buffer.alloc(16)),
      Buffer.from('data'),
      le32(0xffffffff),
      data,
    ]);
    expect(await checkRiff(bufferReader(rebuilt))).toMatchObject({ truncated: false });
    expect(await checkRiff(bufferReader(rebuilt.subarray(0, rebuilt.length - 100)))).toMatchObject({
      truncated: true,
      missingBytes: 100,
    });
  });

  it('AIFF is big-endian', async () => {
    const ssnd = Buffer.concat([Buffer.from('SSND'), u32(400), Buffer.alloc(400)]);
    const body = Buffer.concat([Buffer.from('AIFF'), ssnd]);
    const aiff = Buffer.concat([Buffer.from('FORM'), u32(body.length), body]);
    expect(await checkStructure(bufferReader(aiff))).toMatchObject({ container: 'AIFF', truncated: false });
    expect(await checkStructure(bufferReader(aiff.subarray(0, 200)))).toMatchObject({ truncated: true });
  });
});

const PARTITION = (kind: 2 | 3 | 4) =>
  Buffer.from(`060e2b34020501010d01020101${kind.toString(16).padStart(2, '0')}0400`, 'hex');
/** A partition pack KLV (4-byte BER length) with no essence containers. */
function partition(kind: 2 | 3 | 4, at: number, footer: number, headerBytes: number): Buffer {
  const value = Buffer.concat([
    Buffer.from([0, 1, 0, 3]),
    u32(1),
    u64(at),
    u64(0),
    u64(footer),
    u64(headerBytes),
    u64(0),
    u32(0),
    u64(0),
    u32(kind === 4 ? 0 : 1),
    Buffer.alloc(16),
    u32(0),
    u32(16),
  ]);
  return Buffer.concat([PARTITION(kind), Buffer.from([0x83, 0, 0, value.length]), value]);
}
const klv = (length: number) =>
  Buffer.concat([
    Buffer.from('060e2b34010201010d01030106010000', 'hex'),
    Buffer.from([0x83, 0, (length >> 8) & 0xff, length & 0xff]),
    Buffer.alloc(length, 3),
  ]);

function mxf(options: { footerInHeader: boolean; rip: boolean }): Buffer {
  const metadata = klv(180); // header metadata: KLVs, 200 bytes in all
  const headerLength = partition(2, 0, 0, metadata.length).length;
  const essence = Buffer.concat([klv(1000), klv(1000)]);
  const footerAt = headerLength + metadata.length + essence.length;
  const header = partition(2, 0, options.footerInHeader ? footerAt : 0, metadata.length);
  const footer = partition(4, footerAt, footerAt, 0);
  const parts = [header, metadata, essence, footer];
  if (options.rip) {
    const entries = Buffer.concat([u32(0), u64(0), u32(0), u64(footerAt)]);
    const length = 16 + 4 + entries.length + 4;
    parts.push(
      Buffer.from('060e2b34020501010d01020101110100', 'hex'),
      Buffer.from([0x83, 0, 0, entries.length + 4]),
      entries,
      u32(length),
    );
  }
  return Buffer.concat(parts);
}

describe('MXF structure', () => {
  it('reads BER lengths and partition packs', () => {
    expect(berLength(Buffer.from([0x45]), 0)).toEqual({ length: 0x45, bytes: 1 });
    expect(berLength(Buffer.from([0x83, 0x01, 0x00, 0x00]), 0)).toEqual({ length: 65536, bytes: 4 });
    expect(berLength(Buffer.from([0x83, 0x01]), 0)).toBeUndefined();
    expect(parsePartitionPack(partition(2, 0, 4096, 200))).toMatchObject({
      kind: 'header',
      thisPartition: 0,
      footerPartition: 4096,
      headerByteCount: 200,
      kagSize: 1,
    });
    expect(parsePartitionPack(klv(100))).toBeUndefined();
  });

  it('a complete file fits, whether the header or the Random Index Pack names the footer', async () => {
    for (const options of [
      { footerInHeader: true, rip: true },
      { footerInHeader: false, rip: true },
      { footerInHeader: false, rip: false },
    ]) {
      expect(await checkMxf(bufferReader(mxf(options)))).toMatchObject({
        container: 'MXF',
        truncated: false,
      });
    }
  });

  it('cut anywhere — in the essence, in the footer, in the RIP — it is truncated', async () => {
    for (const options of [
      { footerInHeader: true, rip: true },
      { footerInHeader: false, rip: true },
      { footerInHeader: false, rip: false },
    ]) {
      const whole = mxf(options);
      for (const keep of [whole.length - 1, whole.length - 40, 1500, 320]) {
        const result = await checkMxf(bufferReader(whole.subarray(0, keep)));
        expect({ options, keep, truncated: result?.truncated }).toEqual({ options, keep, truncated: true });
      }
    }
  });

  it('a cut header partition is truncated; a file with no partition key is not MXF', async () => {
    expect(
      await checkMxf(bufferReader(mxf({ footerInHeader: true, rip: true }).subarray(0, 100))),
    ).toMatchObject({
      truncated: true,
    });
    expect(await checkMxf(bufferReader(Buffer.from('not mxf at all')))).toBeUndefined();
  });
});

// ─── real files ────────────────────────────────────────────────────────────────────────────────

describe('real and ffmpeg-made files, cut with truncate', () => {
  let media: MediaFolder;
  let engine: Engine;
  const made: Record<string, string> = {};
  const cutCopy = async (file: string, name: string, keep: (size: number) => number) => {
    const target = path.join(media.dir, name);
    await writeFile(target, await readFile(file));
    await exec('truncate', ['-s', String(keep((await stat(file)).size)), target]);
    return target;
  };

  beforeAll(async () => {
    media = await mediaFolder();
    engine = await Engine.create();
    const av = [...pattern('160x90', '25', 1), ...tone(1)];
    made['faststart.mov'] = await media.make('faststart.mov', [
      ...av,
      '-c:v',
      'libx264',
      '-c:a',
      'pcm_s24le',
      '-timecode',
      '01:00:00:00',
      '-movflags',
      '+faststart',
    ]);
    made['moov-last.mp4'] = await media.make('moov-last.mp4', [...av, '-c:v', 'libx264', '-c:a', 'aac']);
    made['bext.wav'] = await media.make('bext.wav', [...tone(1), '-c:a', 'pcm_s24le', '-write_bext', '1']);
    made['rf64.wav'] = await media.make('rf64.wav', [...tone(1), '-c:a', 'pcm_s24le', '-rf64', 'always']);
    made['op1a.mxf'] = await media.make('op1a.mxf', [...av, '-c:v', 'mpeg2video', '-c:a', 'pcm_s16le']);
    made['opatom.mxf'] = await media.make('opatom.mxf', [
      ...pattern('256x144', '25', 1),
      '-c:v',
      'dnxhd',
      '-profile:v',
      'dnxhr_lb',
      '-pix_fmt',
      'yuv422p',
      '-f',
      'mxf_opatom',
    ]);
  });
  afterAll(async () => {
    await engine?.close();
    await media?.remove();
  });

  it('the real samples and the whole made files fit', async () => {
    for (const file of [
      ...['camera/otio_avid_linear_speed_effects_aaf.mov', 'camera/exiftool_QuickTime.mov'],
      ...['mxf/regxmllib_video1.mxf', 'mxf/regxmllib_audio1.mxf', 'mxf/regxmllib_utf8_embedded_text.mxf'],
      ...[
        'bwf/sounddevices_A101_1.WAV',
        'bwf/zoomF8_Scene_1_2AG-T001_Tr1.WAV',
        'bwf/protools_PT_A101_4.A1.wav',
        'bwf/izotoperx_cues_test.wav',
      ],
    ].map((f) => path.join(samples, f))) {
      expect({ file, truncated: (await checkFileStructure(file))?.truncated }).toEqual({
        file,
        truncated: false,
      });
    }
    for (const file of Object.values(made))
      expect({ file, truncated: (await checkFileStructure(file))?.truncated }).toEqual({
        file,
        truncated: false,
      });
    expect(await checkFileStructure(path.join(samples, 'camera/exiftool_DV.dv'))).toBeUndefined();
  });

  it('each made file cut by one byte, by 10 % and in half is truncated', async () => {
    for (const [name, file] of Object.entries(made)) {
      for (const [label, keep] of [
        ['1b', (s: number) => s - 1],
        ['90', (s: number) => Math.floor(s * 0.9)],
        ['50', (s: number) => Math.floor(s / 2)],
      ] as const) {
        const cut = await cutCopy(file, `cut${label}-${name}`, keep);
        const result = await checkFileStructure(cut);
        expect({ cut: path.basename(cut), truncated: result?.truncated }).toEqual({
          cut: path.basename(cut),
          truncated: true,
        });
      }
    }
  });

  it('validate: cut BWF, RF64, MXF and MOV files are TRUNCATED, not NOT_MEDIA or passing', async () => {
    for (const [name, file] of Object.entries(made)) {
      const cut = await cutCopy(file, `v-${name}`, (s) => Math.floor(s * 0.8));
      const result = await engine.validate(cut);
      expect({ name, ok: result.ok, code: result.code }).toEqual({ name, ok: false, code: 'TRUNCATED' });
      expect(result.message).toMatch(/is truncated: .* missing\)/);
      expect(result.checks.find((c) => c.name === 'structure')).toMatchObject({ ok: false });
    }
    const whole = await engine.validate(made['bext.wav']!);
    expect(whole.ok).toBe(true);
    expect(whole.checks.find((c) => c.name === 'structure')?.detail).toMatch(
      /^RIFF: the RIFF form and its \d+ chunk\(s\) fit$/,
    );
  });

  it('a MOV with its moov at the front and an mdat written to the end (size 0), cut in its media', async () => {
    const file = made['faststart.mov']!;
    const bytes = await readFile(file);
    // Find the top-level mdat and mark it "extends to the end of the file", as a recorder may.
    let at = 0;
    while (bytes.toString('latin1', at + 4, at + 8) !== 'mdat') at += bytes.readUInt32BE(at);
    bytes.writeUInt32BE(0, at);
    const open0 = path.join(media.dir, 'mdat0.mov');
    await writeFile(open0, bytes);
    expect((await checkFileStructure(open0))?.truncated).toBe(false);
    const cut = await cutCopy(open0, 'mdat0-cut.mov', (s) => Math.floor(s * 0.7));
    const structure = await checkFileStructure(cut);
    expect(structure).toMatchObject({ container: 'QuickTime', truncated: true });
    expect(structure?.detail).toMatch(/its sample table/);
    expect(await engine.validate(cut)).toMatchObject({ ok: false, code: 'TRUNCATED' });
    const { problems } = await engine.probe(cut);
    expect(problems.some((p) => /^truncated: the media of track \d/.test(p))).toBe(true);
  });

  it('an open MXF (no footer offset in its header, written to a pipe) cut short is truncated', async () => {
    const piped = path.join(media.dir, 'piped.mxf');
    const { stdout } = await exec(
      'ffmpeg',
      ['-v', 'error', ...pattern('160x90', '25', 1), '-c:v', 'mpeg2video', '-f', 'mxf', 'pipe:1'],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
    );
    await writeFile(piped, stdout);
    const handle = await open(piped, 'r');
    const head = Buffer.alloc(256);
    await handle.read(head, 0, 256, 0);
    await handle.close();
    expect(parsePartitionPack(head)?.footerPartition).toBe(0);
    expect((await checkFileStructure(piped))?.truncated).toBe(false);
    for (const keep of [(s: number) => s - 1, (s: number) => Math.floor(s * 0.6)]) {
      const cut = await cutCopy(piped, 'piped-cut.mxf', keep);
      expect((await checkFileStructure(cut))?.truncated).toBe(true);
    }
  });
});
