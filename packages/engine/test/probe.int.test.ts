import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.ts';
import { readdir, unlink } from 'node:fs/promises';
import { findSequences } from '../src/sequence/find.ts';
import { addDpxTelevisionHeader, mediaFolder, pattern, tone, type MediaFolder } from './support/media.ts';

const samples = path.resolve(import.meta.dirname, '../../../../shared/samples');
let engine: Engine;
let media: MediaFolder;
let prores: string;
let mxf: string;
let mp4: string;
let wav: string;

beforeAll(async () => {
  engine = await Engine.create();
  media = await mediaFolder();
  prores = await media.make('A001C003_230512_R1AB.mov', [
    ...pattern('320x180', '24000/1001', 2),
    ...tone(2),
    ...['-c:v', 'prores_ks', '-profile:v', '0', '-c:a', 'pcm_s24le', '-timecode', '01:00:00:00'],
    ...['-metadata:s:v:0', 'reel_name=A001', '-metadata', 'com.apple.quicktime.make=ARRI'],
    ...['-metadata', 'com.apple.quicktime.model=ALEXA Mini', '-movflags', 'use_metadata_tags'],
  ]);
  mxf = await media.make('clip.mxf', [
    ...pattern('640x360', '25', 2),
    ...['-c:v', 'dnxhd', '-profile:v', 'dnxhr_lb', '-pix_fmt', 'yuv422p', '-timecode', '10:00:00:00'],
    ...['-metadata', 'reel_name=B002'],
  ]);
  mp4 = await media.make('df.mp4', [
    ...pattern('320x180', '30000/1001', 2),
    ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-timecode', '00:59:59;28', '-color_primaries', 'bt709'],
    ...['-color_trc', 'bt709', '-colorspace', 'bt709', '-movflags', '+faststart'],
  ]);
  wav = await media.make('scene12_take3.wav', [
    ...tone(1),
    ...['-c:a', 'pcm_s24le', '-write_bext', '1', '-metadata', 'originator=Rushes test'],
    ...['-metadata', 'time_reference=172800000', '-metadata', 'origination_date=2026-11-25'],
    ...['-metadata', 'origination_time=10:00:00'],
  ]);
});

afterAll(async () => {
  await engine?.close();
  await media?.remove();
});

describe('probe', () => {
  it('reads a ProRes MOV: codec, rate as a rational, tmcd timecode, reel, camera, clip name', async () => {
    const { metadata: m, problems } = await engine.probe(prores);
    expect(problems).toEqual([]);
    expect(m.picture.codec).toMatchObject({ value: 'Apple ProRes', source: 'stream' });
    expect(m.picture.profile?.value).toBe('Proxy');
    expect(m.picture.frameRate?.value).toEqual({ num: 24000, den: 1001 });
    expect(m.picture).toMatchObject({
      width: { value: 320 },
      height: { value: 180 },
      chroma: { value: '4:2:2' },
      bitDepth: { value: 10 },
    });
    expect(m.time.startTimecode).toMatchObject({ value: '01:00:00:00', source: 'stream' });
    expect(m.time.durationFrames?.value).toBe(48);
    expect(m.time.endTimecode?.value).toBe('01:00:02:00');
    expect(m.time.dropFrame?.value).toBe(false);
    expect(m.camera.make?.value).toBe('ARRI');
    expect(m.camera.model?.value).toBe('ALEXA Mini');
    // The reel from the timecode track outranks the clip name's; they agree, so no conflict.
    expect(m.identity.reel).toMatchObject({ value: 'A001', source: 'stream' });
    expect(m.identity.reel?.conflicts).toBeUndefined();
    expect(m.identity.clipIndex).toMatchObject({ value: 3, source: 'filename' });
    expect(m.identity.cameraUnit).toMatchObject({ value: 'A', source: 'filename' });
    expect(m.audio).toMatchObject({
      channels: { value: 1 },
      sampleRateHz: { value: 48000 },
      bitDepth: { value: 24 },
    });
  });

  it('reads a DNxHR MXF: OP1a, timecode and reel from the package, not the muxer as camera', async () => {
    const { metadata: m } = await engine.probe(mxf);
    expect(m.file.container?.value).toBe('MXF OP1a');
    expect(m.picture.codec?.value).toBe('Avid DNxHD/DNxHR');
    expect(m.picture.profile?.value).toMatch(/DNxHR LB/i);
    expect(m.time.startTimecode?.value).toBe('10:00:00:00');
    expect(m.picture.frameRate?.value).toEqual({ num: 25, den: 1 });
    expect(m.identity.reel?.value).toBe('B002');
    expect(m.camera.make).toBeUndefined();
    expect(m.camera.model).toBeUndefined();
  });

  it('reads OP-Atom MXF and HEVC 10-bit QuickTime', async () => {
    const atom = await media.make('atom.mxf', [
      ...pattern('640x360', '25', 1),
      ...['-c:v', 'dnxhd', '-profile:v', 'dnxhr_lb', '-pix_fmt', 'yuv422p', '-timecode', '11:00:00:00'],
      ...['-metadata', 'reel_name=C003', '-f', 'mxf_opatom'],
    ]);
    const a = (await engine.probe(atom)).metadata;
    expect(a.file.container?.value).toBe('MXF OP-Atom');
    expect(a.time.startTimecode?.value).toBe('11:00:00:00');
    expect(a.identity.reel?.value).toBe('C003');
    const hevc = await media.make('h.mov', [
      ...pattern('320x180', '50', 1),
      ...['-c:v', 'libx265', '-pix_fmt', 'yuv420p10le', '-tag:v', 'hvc1', '-timecode', '02:00:00:00'],
    ]);
    const h = (await engine.probe(hevc)).metadata;
    expect(h.picture).toMatchObject({
      codec: { value: 'HEVC' },
      profile: { value: 'Main 10' },
      bitDepth: { value: 10 },
    });
    expect(h.picture.frameRate?.value).toEqual({ num: 50, den: 1 });
    expect(h.time.startTimecode?.value).toBe('02:00:00:00');
  });

  it('reads drop-frame timecode at 29.97 and maps Rec.709 to its input transform', async () => {
    const { metadata: m } = await engine.probe(mp4);
    expect(m.time.startTimecode?.value).toBe('00:59:59;28');
    expect(m.time.dropFrame?.value).toBe(true);
    expect(m.time.endTimecode?.value).toBe('01:00:01;28');
    expect(m.color).toMatchObject({
      primaries: { value: 'bt709' },
      transfer: { value: 'bt709' },
      acesInputTransform: { value: 'rec709' },
    });
  });

  it('reads a Broadcast WAV it wrote: bext originator and a TimeReference without iXML rate', async () => {
    const { metadata: m, raw } = await engine.probe(wav);
    expect(m.audio.originator).toMatchObject({ value: 'Rushes test', source: 'bext' });
    expect(m.audio.bitDepth?.value).toBe(24);
    expect((raw.wave as { bext: { timeReference: string } }).bext.timeReference).toBe('172800000');
    // Without an iXML speed there is no rate to count frames at: no start timecode is invented.
    expect(m.time.startTimecode?.source).not.toBe('bext');
  });

  interface Sound {
    tc: string;
    scene?: string;
    take?: string;
    tape?: string;
    speed?: string;
    tracks?: string[];
  }
  it.each<[string, Sound]>([
    [
      'sounddevices_A101_1.WAV',
      {
        scene: 'A101',
        take: '1',
        tape: '18Y12M31',
        speed: '23.976',
        tc: '12:39:59:00',
        tracks: ['MKH516 A', 'Boom'],
      },
    ],
    [
      'zoomF8_Scene_1_2AG-T001_Tr1.WAV',
      { scene: 'Scene_1_2AG', take: '001', speed: '25', tc: '22:40:10:00' },
    ],
    ['protools_PT_A101_4.A1.wav', { tc: '12:40:15:00' }],
  ])('reads production sound from the real %s', async (file, expected) => {
    const { metadata: m } = await engine.probe(path.join(samples, 'bwf', file));
    expect(m.time.startTimecode).toMatchObject({ value: expected.tc, source: 'bext' });
    if (expected.scene) expect(m.audio.scene?.value).toBe(expected.scene);
    if (expected.take) expect(m.audio.take?.value).toBe(expected.take);
    if (expected.tape) expect(m.audio.tape?.value).toBe(expected.tape);
    if (expected.speed) expect(m.audio.speed?.value).toBe(expected.speed);
    if (expected.tracks) expect(m.audio.trackNames?.value).toEqual(expected.tracks);
  });

  it('reads the real Avid QuickTime: H.264 1920x1080 at 24 with tmcd 01:00:00:00', async () => {
    const { metadata: m } = await engine.probe(
      path.join(samples, 'camera/otio_avid_linear_speed_effects_aaf.mov'),
    );
    expect(m.picture).toMatchObject({
      codec: { value: 'H.264' },
      width: { value: 1920 },
      height: { value: 1080 },
    });
    expect(m.picture.frameRate?.value).toEqual({ num: 24, den: 1 });
    expect(m.time.startTimecode?.value).toBe('01:00:00:00');
  });

  it('reads the real MXF headers: JPEG 2000 at 24000/1001, and 09:59:30:00 at 25 from BBC bmx', async () => {
    const video = (await engine.probe(path.join(samples, 'mxf/regxmllib_video1.mxf'))).metadata;
    expect(video.picture).toMatchObject({
      codec: { value: 'JPEG 2000' },
      width: { value: 1920 },
      height: { value: 1080 },
    });
    expect(video.picture.frameRate?.value).toEqual({ num: 24000, den: 1001 });
    const bmx = (await engine.probe(path.join(samples, 'mxf/regxmllib_utf8_embedded_text.mxf'))).metadata;
    expect(bmx.time.startTimecode?.value).toBe('09:59:30:00');
  });

  it.each([
    ['openexr-images_DisplayWindow_t01.exr', { width: 400, height: 300 }],
    ['openexr-images_TestImages_WideColorGamut.exr', { width: 800, height: 800, gamut: 'Rec.709' }],
    ['openexr-images_MultiView_Fog.exr', { width: 1000, height: 672, views: ['left', 'right'] }],
    ['exiftool_OpenEXR.exr', { width: 3, height: 2 }],
  ] as const)('reads the OpenEXR header of %s', async (file, expected) => {
    const { metadata: m } = await engine.probe(path.join(samples, 'exr', file));
    expect(m.picture.width?.value).toBe(expected.width);
    expect(m.picture.height?.value).toBe(expected.height);
    if ('gamut' in expected) expect(m.color.gamut?.value).toBe(expected.gamut);
    if ('views' in expected) expect(m.picture.views?.value).toEqual(expected.views);
  });

  it('refuses an empty file and a text file with codes', async () => {
    await expect(engine.probe(await media.text('empty.mov', ''))).rejects.toMatchObject({
      code: 'EMPTY_FILE',
    });
    await expect(
      engine.probe(await media.text('notes.mov', 'call sheet for day 3\n'.repeat(20))),
    ).rejects.toMatchObject({
      code: 'NOT_MEDIA',
    });
  });
});

describe('image sequences', () => {
  it('probes a DPX sequence as one clip: frame range, BCD timecode, rate, missing frames', async () => {
    const folder = await mediaFolder();
    try {
      await folder.make('A001C005_%07d.dpx', [
        ...pattern('320x180', '24', 0.25),
        '-pix_fmt',
        'rgb48le',
        '-start_number',
        '86400',
      ]);
      await addDpxTelevisionHeader(path.join(folder.dir, 'A001C005_0086400.dpx'), '01:00:00:00', 24);
      await unlink(path.join(folder.dir, 'A001C005_0086403.dpx'));
      const [sequence] = findSequences(await readdir(folder.dir)).sequences;
      const result = await engine.probeSequence(folder.dir, sequence!);
      const m = result.metadata;
      expect(result.sequence).toMatchObject({
        pattern: 'A001C005_%07d.dpx',
        first: 86400,
        last: 86405,
        count: 5,
        missing: [86403],
      });
      expect(result.problems).toEqual(['1 frame(s) missing from A001C005_%07d.dpx: 86403']);
      expect(m.identity.clipName?.value).toBe('A001C005');
      expect(m.identity.reel?.value).toBe(undefined);
      expect(m.time.durationFrames).toMatchObject({ value: 6, source: 'sequence' });
      expect(m.time.startTimecode).toMatchObject({ value: '01:00:00:00', source: 'sequence' });
      expect(m.time.endTimecode?.value).toBe('01:00:00:06');
      expect(m.picture).toMatchObject({
        width: { value: 320 },
        height: { value: 180 },
        bitDepth: { value: 16 },
      });
      expect(m.picture.frameRate?.value).toEqual({ num: 24, den: 1 });
      expect(m.file.container?.value).toBe('DPX image sequence');
    } finally {
      await folder.remove();
    }
  });

  it('probes a TIFF sequence starting at frame 1', async () => {
    const folder = await mediaFolder();
    try {
      await folder.make('frame_%03d.tif', [...pattern('160x90', '24', 0.125), '-start_number', '1']);
      const [sequence] = findSequences(await readdir(folder.dir)).sequences;
      const m = (await engine.probeSequence(folder.dir, sequence!)).metadata;
      expect(m.time.durationFrames?.value).toBe(3);
      expect(m.file.container?.value).toBe('TIF image sequence');
      expect(m.identity.clipName?.value).toBe('frame');
    } finally {
      await folder.remove();
    }
  });

  it('probes an OpenEXR sequence starting at 1001', async () => {
    const folder = await mediaFolder();
    try {
      await folder.make('plate.%04d.exr', [
        ...pattern('320x180', '24', 0.125),
        '-pix_fmt',
        'gbrpf32le',
        '-start_number',
        '1001',
      ]);
      const [sequence] = findSequences(await readdir(folder.dir)).sequences;
      const m = (await engine.probeSequence(folder.dir, sequence!)).metadata;
      expect(m.time.durationFrames?.value).toBe(3);
      expect(m.picture).toMatchObject({ width: { value: 320 }, height: { value: 180 } });
      expect(m.file.container?.value).toBe('EXR image sequence');
    } finally {
      await folder.remove();
    }
  });
});

describe('validate', () => {
  it('passes good media after decoding first and last frames', async () => {
    for (const file of [prores, mxf, mp4]) {
      const result = await engine.validate(file);
      expect(result).toMatchObject({ ok: true });
      expect(result.checks.map((c) => c.name)).toEqual([
        'size',
        'structure',
        'demux',
        'first frame',
        'last frame',
      ]);
    }
  });

  it.each([
    ['an empty file', async () => media.text('empty2.mp4', ''), 'EMPTY_FILE'],
    ['a text file', async () => media.text('readme.mp4', 'not a movie'), 'NOT_MEDIA'],
    ['a MOV cut before its index', async () => media.truncated(prores, 'cut.mov', 0.5), 'TRUNCATED'],
    ['an MP4 cut in its media data', async () => media.truncated(mp4, 'cut.mp4', 0.6), 'TRUNCATED'],
    ['an MP4 with corrupted frames', async () => media.damaged(mp4, 'noise.mp4', 0.3, 0.65), 'UNDECODABLE'],
    [
      'a RED file ffmpeg cannot read',
      async () => media.text('A001_C001_0101AB_001.R3D', 'RED2'.repeat(100)),
      'UNSUPPORTED_DECODE',
    ],
  ])('reports %s with code %s', async (_label, make, code) => {
    const result = await engine.validate(await make());
    expect(result).toMatchObject({ ok: false, code });
    expect(result.message.length).toBeGreaterThan(10);
  });
});
