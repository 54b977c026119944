/**
 * Proxies and images from real sources, checked with ffprobe: codec, profile, size, frame rate,
 * duration (±1 frame), start timecode and reel; sound-only files; image sequences; failures that
 * must leave no partial file (truncated, raw without a decoder, cancellation); the decoder
 * adapter plug point.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type RenderJob } from '../src/engine.ts';
import { DEFAULT_IMAGES } from '../src/render/plan.ts';
import { resolveProfile, type ProxyProfileId } from '../src/render/profiles.ts';
import { renderSourceFrom, type RenderSource } from '../src/render/source.ts';
import type { DecoderAdapter } from '../src/render/adapters.ts';
import { mediaFolder, pattern, tone, type MediaFolder } from './support/media.ts';

const exec = promisify(execFile);

interface Probed {
  streams: {
    codec_type: string;
    codec_name: string;
    profile?: string;
    width?: number;
    height?: number;
    r_frame_rate: string;
    duration?: string;
    channels?: number;
    tags?: Record<string, string>;
  }[];
  format: { duration: string; tags?: Record<string, string> };
}
async function ffprobe(file: string): Promise<Probed> {
  const { stdout } = await exec('ffprobe', [
    '-v',
    'error',
    '-show_streams',
    '-show_format',
    '-of',
    'json',
    file,
  ]);
  return JSON.parse(stdout) as Probed;
}
const video = (p: Probed) => p.streams.find((s) => s.codec_type === 'video')!;
const timecodeOf = (p: Probed) =>
  p.streams.map((s) => s.tags?.['timecode']).find(Boolean) ?? p.format.tags?.['timecode'];
const reelOf = (p: Probed) => p.streams.map((s) => s.tags?.['reel_name']).find(Boolean);

let media: MediaFolder;
let engine: Engine;
let source: RenderSource;
let out: string;

async function sourceFor(file: string, name: string): Promise<RenderSource> {
  const probed = await engine.probe(file);
  return renderSourceFrom(probed.metadata, { kind: 'file', path: file }, name);
}
const listing = async (dir: string) => (await readdir(dir)).sort();

beforeAll(async () => {
  media = await mediaFolder();
  engine = await Engine.create();
  out = path.join(media.dir, 'out');
  await mkdir(out);
  const file = await media.make('A001C003_250101_R1AB.mov', [
    ...pattern('640x360', '24000/1001', 2),
    ...tone(2),
    '-c:v',
    'prores_ks',
    '-profile:v',
    '3',
    '-pix_fmt',
    'yuv422p10le',
    '-c:a',
    'pcm_s24le',
    '-ac',
    '2',
    '-timecode',
    '14:03:22:10',
    '-metadata:s:v:0',
    'reel_name=A001R1AB',
    '-metadata:s:v:0',
    'color_transfer=LogC3',
  ]);
  source = await sourceFor(file, 'A001C003');
});
afterAll(async () => {
  await engine.close();
  await media.remove();
});

describe('proxy profiles', () => {
  const expectations: Record<
    ProxyProfileId,
    { codec: string; profile: RegExp; width: number; height: number; ext: string }
  > = {
    review: { codec: 'h264', profile: /^High$/, width: 640, height: 360, ext: 'mp4' },
    avid: { codec: 'dnxhd', profile: /DNXHD/, width: 1920, height: 1080, ext: 'mxf' },
    premiere: { codec: 'prores', profile: /Proxy/, width: 640, height: 360, ext: 'mov' },
  };
  it.each(Object.entries(expectations))(
    '%s: codec, profile, raster, rate, duration, timecode, reel',
    async (id, want) => {
      const result = await engine.render(
        source,
        { proxy: resolveProfile(id as ProxyProfileId), color: { input: 'arri_logc3_awg3' } },
        { outDir: out, baseName: source.clipName },
      );
      const proxy = result.files.find((f) => f.kind === 'proxy')!;
      expect(path.basename(proxy.path)).toBe(`A001C003_250101_R1AB.${id}.${want.ext}`);
      const probed = await ffprobe(proxy.path);
      const v = video(probed);
      expect(v.codec_name).toBe(want.codec);
      expect(v.profile).toMatch(want.profile);
      expect([v.width, v.height]).toEqual([want.width, want.height]);
      expect(v.r_frame_rate).toBe('24000/1001');
      expect(Math.abs(Number(probed.format.duration) - (48 * 1001) / 24000)).toBeLessThanOrEqual(
        1001 / 24000 + 1e-6,
      );
      expect(timecodeOf(probed)).toBe('14:03:22:10');
      if (id !== 'review') expect(reelOf(probed)).toBe('A001R1AB');
      const audio = probed.streams.find((s) => s.codec_type === 'audio')!;
      expect(audio.codec_name).toBe(id === 'review' ? 'aac' : 'pcm_s24le');
      expect(audio.channels).toBe(2);
    },
  );

  it('uses DNxHR LB where DNxHD 36 has no rate, and pillar-boxes 4:3 into 1920×1080', async () => {
    const file = await media.make('square.mov', [
      ...pattern('640x480', '48', 1),
      '-c:v',
      'prores_ks',
      '-pix_fmt',
      'yuv422p10le',
    ]);
    const src = await sourceFor(file, 'square');
    const { files } = await engine.render(
      src,
      { proxy: resolveProfile('avid') },
      { outDir: out, baseName: 'square' },
    );
    const v = video(await ffprobe(files[0]!.path));
    expect(v.profile).toMatch(/DNXHR LB/);
    expect([v.width, v.height, v.r_frame_rate]).toEqual([1920, 1080, '48/1']);
  });

  it('keeps an anamorphic picture’s display aspect and a drop-frame timecode', async () => {
    const file = await media.make('anamorphic.mov', [
      ...pattern('960x800', '30000/1001', 1),
      '-vf',
      'setsar=2',
      '-c:v',
      'prores_ks',
      '-pix_fmt',
      'yuv422p10le',
      '-timecode',
      '01:00:00;02',
    ]);
    const src = await sourceFor(file, 'anamorphic');
    const { files } = await engine.render(
      src,
      { proxy: resolveProfile('review', { maxWidth: 1280 }) },
      { outDir: out, baseName: 'anamorphic' },
    );
    const probed = await ffprobe(files[0]!.path);
    expect([video(probed).width, video(probed).height]).toEqual([1280, 534]);
    expect(timecodeOf(probed)).toBe('01:00:00;02');
  });
});

describe('images from the same decode', () => {
  it('writes poster, thumbnail and a scrub strip with its index', async () => {
    const progress: number[] = [];
    const result = await engine.render(
      source,
      { proxy: resolveProfile('review'), images: DEFAULT_IMAGES, color: { input: 'arri_logc3_awg3' } },
      { outDir: out, baseName: 'images', onProgress: (f) => progress.push(f), progressIntervalMs: 0 },
    );
    const kinds = result.files.map((f) => f.kind).sort();
    expect(kinds).toEqual(['poster', 'proxy', 'strip', 'strip-index', 'strip-vtt', 'thumbnail']);
    const size = async (kind: string) =>
      video(await ffprobe(result.files.find((f) => f.kind === kind)!.path));
    expect([(await size('poster')).width, (await size('poster')).height]).toEqual([640, 360]);
    expect([(await size('thumbnail')).width, (await size('thumbnail')).height]).toEqual([320, 180]);
    // 48 frames, 20 wanted: every 3rd frame → 16 tiles of 160×90 in a row.
    expect([(await size('strip')).width, (await size('strip')).height]).toEqual([2560, 90]);
    const index = JSON.parse(
      await readFile(result.files.find((f) => f.kind === 'strip-index')!.path, 'utf8'),
    ) as { tiles: { x: number; y: number }[] };
    expect(index.tiles).toHaveLength(16);
    expect(index.tiles[15]).toMatchObject({ x: 2400, y: 0, startSeconds: (45 * 1001) / 24000 });
    expect(await readFile(result.files.find((f) => f.kind === 'strip-vtt')!.path, 'utf8')).toMatch(
      /^WEBVTT\n\n00:00:00.000 --> 00:00:00.125\nimages.strip.jpg#xywh=0,0,160,90/,
    );
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('applies the look: a grey turns warmer with a warm CDL', async () => {
    const grey = await media.make('grey.mov', [
      '-f',
      'lavfi',
      '-i',
      'color=c=0x646464:s=320x180:r=24:d=1',
      '-c:v',
      'prores_ks',
      '-pix_fmt',
      'yuv422p10le',
    ]);
    const src = await sourceFor(grey, 'grey');
    const look = {
      slope: [1.1, 1, 0.9] as [number, number, number],
      offset: [0, 0, 0] as [number, number, number],
      power: [1, 1, 1] as [number, number, number],
      saturation: 1,
    };
    const poster = async (baseName: string, color: RenderJob['color']) => {
      const { files } = await engine.render(
        src,
        { images: DEFAULT_IMAGES, color },
        { outDir: out, baseName },
      );
      const { stdout } = await exec(
        'ffmpeg',
        [
          '-v',
          'error',
          '-i',
          files.find((f) => f.kind === 'poster')!.path,
          '-vf',
          'scale=1:1,format=rgb24',
          '-f',
          'rawvideo',
          '-',
        ],
        { encoding: 'buffer' },
      );
      return [...stdout];
    };
    const plain = await poster('plain', { input: 'arri_logc3_awg3' });
    const graded = await poster('graded', { input: 'arri_logc3_awg3', look });
    // ffmpeg's test colour source is coded with BT.601, read here as BT.709: a few codes of tint.
    expect(Math.max(...plain) - Math.min(...plain)).toBeLessThanOrEqual(5);
    expect(graded[0]! - plain[0]!).toBeGreaterThan(10);
    expect(plain[2]! - graded[2]!).toBeGreaterThan(10);
  });

  it('renders an image sequence at its frame rate', async () => {
    const dir = path.join(media.dir, 'seq');
    await mkdir(dir);
    await exec('ffmpeg', [
      '-v',
      'error',
      ...pattern('320x180', '25', 1),
      '-pix_fmt',
      'rgb48le',
      '-start_number',
      '86400',
      path.join(dir, 'plate_%07d.dpx'),
    ]);
    const src: RenderSource = {
      input: {
        kind: 'sequence',
        folder: dir,
        sequence: { prefix: 'plate_', suffix: '.dpx', padding: 7, first: 86400 },
      },
      clipName: 'plate',
      picture: {
        width: 320,
        height: 180,
        pixelAspect: 1,
        frameRate: { num: 25, den: 1 },
        matrix: 'bt709',
        range: 'pc',
      },
      startTimecode: '01:00:00:00',
      durationSeconds: 1,
    };
    const { files } = await engine.render(
      src,
      { proxy: resolveProfile('premiere'), images: DEFAULT_IMAGES },
      { outDir: out, baseName: 'plate' },
    );
    const probed = await ffprobe(files.find((f) => f.kind === 'proxy')!.path);
    expect([video(probed).r_frame_rate, Number(probed.format.duration), timecodeOf(probed)]).toEqual([
      '25/1',
      1,
      '01:00:00:00',
    ]);
  });
});

describe('sound-only sources', () => {
  it('turns a Broadcast WAV into an AAC preview and a waveform', async () => {
    const wav = await media.make('sound.wav', [
      ...tone(3),
      '-ac',
      '2',
      '-c:a',
      'pcm_s24le',
      '-write_bext',
      '1',
    ]);
    const src = await sourceFor(wav, 'sound');
    const { files } = await engine.render(
      src,
      { proxy: resolveProfile('review'), images: DEFAULT_IMAGES },
      { outDir: out, baseName: 'sound' },
    );
    const preview = await ffprobe(files.find((f) => f.kind === 'proxy')!.path);
    expect(preview.streams.map((s) => s.codec_name)).toEqual(['aac']);
    expect(Math.abs(Number(preview.format.duration) - 3)).toBeLessThan(0.05);
    const wave = video(await ffprobe(files.find((f) => f.kind === 'waveform')!.path));
    expect([wave.codec_name, wave.width, wave.height]).toEqual(['png', 1800, 240]);
  });

  it.each([
    // 1,102 and 400 samples: fewer than the waveform is wide (1,800), which showwavespic refuses.
    ['0.05 s at 22.05 kHz', 0.05, 22050],
    ['0.05 s at 8 kHz', 0.05, 8000],
    ['a single sample', 1 / 48000, 48000],
  ])('draws a waveform of a very short sound (%s)', async (_, seconds, rate) => {
    const name = `blip-${rate}-${Math.round(seconds * 1e6)}`;
    const wav = await media.make(`${name}.wav`, [...tone(seconds, rate), '-c:a', 'pcm_s16le']);
    const src = await sourceFor(wav, name);
    const { files } = await engine.render(
      src,
      { proxy: resolveProfile('review'), images: DEFAULT_IMAGES },
      { outDir: out, baseName: name },
    );
    expect(files.map((f) => f.kind)).toEqual(['proxy', 'waveform']);
    const wave = video(await ffprobe(files.find((f) => f.kind === 'waveform')!.path));
    expect([wave.codec_name, wave.width, wave.height]).toEqual(['png', 1800, 240]);
    // The preview keeps the sound's own length: padding is for the picture only.
    const preview = await ffprobe(files.find((f) => f.kind === 'proxy')!.path);
    expect(Number(preview.format.duration)).toBeLessThan(seconds + 0.05);
  });

  it('refuses an Avid proxy of sound with NO_PICTURE', async () => {
    const wav = await media.make('sound2.wav', [...tone(1), '-c:a', 'pcm_s16le']);
    const src = await sourceFor(wav, 'sound2');
    await expect(
      engine.render(src, { proxy: resolveProfile('avid') }, { outDir: out, baseName: 'sound2' }),
    ).rejects.toMatchObject({ code: 'NO_PICTURE' });
  });
});

describe('failures leave nothing behind', () => {
  it('a truncated source fails with TRUNCATED', async () => {
    const whole = await media.make('whole.mp4', [
      ...pattern('640x360', '25', 4),
      '-c:v',
      'libx264',
      '-movflags',
      '+faststart',
    ]);
    const src = await sourceFor(whole, 'cut');
    const dir = path.join(media.dir, 'cut-out');
    await mkdir(dir);
    src.input = { kind: 'file', path: await media.truncated(whole, 'cut.mp4', 0.5) };
    await expect(
      engine.render(
        src,
        { proxy: resolveProfile('review'), images: DEFAULT_IMAGES },
        { outDir: dir, baseName: 'cut' },
      ),
    ).rejects.toMatchObject({ code: 'TRUNCATED' });
    expect(await listing(dir)).toEqual([]);
  });

  it('a raw file without a decoder fails with UNSUPPORTED_DECODE; an adapter makes it renderable', async () => {
    const raw = path.join(media.dir, 'A001_C002_0101AB.R3D');
    const stand_in = await media.make('decoded.mov', [...pattern('320x180', '24', 1), '-c:v', 'prores_ks']);
    await copyFile(stand_in, raw);
    const src = { ...(await sourceFor(stand_in, 'A001_C002')), input: { kind: 'file' as const, path: raw } };
    const dir = path.join(media.dir, 'raw-out');
    await mkdir(dir);
    await expect(
      engine.render(src, { proxy: resolveProfile('review') }, { outDir: dir, baseName: 'raw' }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_DECODE', message: expect.stringMatching(/RED R3D/) });
    expect(await listing(dir)).toEqual([]);

    const opened: string[] = [];
    const vendor: DecoderAdapter = {
      name: 'test vendor SDK',
      handles: (file) => file.endsWith('.R3D'),
      async open(file, { tempFolder }) {
        opened.push(file);
        const decoded = path.join(tempFolder, 'decoded.mov');
        await copyFile(stand_in, decoded);
        return { kind: 'file', path: decoded };
      },
    };
    const withSdk = await Engine.create({ decoders: [vendor] });
    try {
      const { files } = await withSdk.render(
        src,
        { proxy: resolveProfile('review') },
        { outDir: dir, baseName: 'raw' },
      );
      expect(opened).toEqual([raw]);
      expect(await listing(dir)).toEqual(['raw.review.mp4']);
      expect(video(await ffprobe(files[0]!.path)).codec_name).toBe('h264');
    } finally {
      await withSdk.close();
    }
  });

  it('cancelling kills ffmpeg with ABORTED and removes partial outputs', async () => {
    const long = await media.make('long.mp4', [
      ...pattern('1280x720', '25', 8),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
    ]);
    const src = await sourceFor(long, 'long');
    const dir = path.join(media.dir, 'abort-out');
    await mkdir(dir);
    const controller = new AbortController();
    const started = engine.render(
      src,
      { proxy: resolveProfile('premiere'), images: DEFAULT_IMAGES },
      {
        outDir: dir,
        baseName: 'long',
        signal: controller.signal,
        progressIntervalMs: 0,
        onProgress: (f) => {
          if (f > 0.05) controller.abort();
        },
      },
    );
    await expect(started).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await listing(dir)).toEqual([]);
  });
});
