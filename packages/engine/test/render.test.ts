/** The pure parts of rendering: profiles, sizes, filter text, strip index, progress, identity, LUT files. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cdlFilters, colorFilters, lutsFor } from '../src/color/color-filters.ts';
import { escapeForGraph, filter, quoteOptionValue } from '../src/color/filter-escape.ts';
import { cubeText, unpackLut } from '../src/color/lut-file.ts';
import { canonicalJson, derivedIdentity } from '../src/render/identity.ts';
import {
  burnInFilters,
  buildRenderPlan,
  DEFAULT_IMAGES,
  fitRaster,
  fitSize,
  inputArgs,
  waveformChain,
} from '../src/render/plan.ts';
import { NO_BURN_INS, resolveProfile, videoCodecArgs } from '../src/render/profiles.ts';
import { trackProgress } from '../src/render/progress.ts';
import { renderFailure, safeBaseName } from '../src/render/render.ts';
import type { RenderSource } from '../src/render/source.ts';
import { stripLayout, stripTiles, stripVtt } from '../src/render/strip.ts';
import { EngineError } from '../src/errors.ts';

const picture = (width: number, height: number, pixelAspect = 1) => ({
  width,
  height,
  pixelAspect,
  frameRate: { num: 24, den: 1 },
  matrix: 'bt709',
  range: 'tv' as const,
});

describe('profiles', () => {
  it('resolves overrides of size, burn-ins and colour only', () => {
    const review = resolveProfile('review', {
      maxWidth: 1281,
      burnIns: { frameCounter: true },
      color: 'none',
    });
    expect(review).toMatchObject({ id: 'review', extension: 'mp4', maxWidth: 1280, color: 'none' });
    expect(review.burnIns).toMatchObject({
      timecode: true,
      clipName: true,
      frameCounter: true,
      frameCounterStart: 1001,
    });
    expect(resolveProfile('avid').raster).toEqual({ width: 1920, height: 1080 });
    expect(() => resolveProfile('review', { maxWidth: 10 })).toThrow(/64 to 8192/);
  });

  it.each([
    [{ num: 24000, den: 1001 }, ['-b:v', '36M']],
    [{ num: 25, den: 1 }, ['-b:v', '36M']],
    [{ num: 30000, den: 1001 }, ['-b:v', '45M']],
    [{ num: 60000, den: 1001 }, ['-b:v', '90M']],
    [{ num: 48, den: 1 }, ['-profile:v', 'dnxhr_lb']],
  ])('avid at %o uses %o', (rate, expected) => {
    const args = videoCodecArgs(resolveProfile('avid'), rate).join(' ');
    expect(args).toContain(expected.join(' '));
  });

  it('review is H.264 High yuv420p with faststart; premiere ProRes Proxy', () => {
    expect(videoCodecArgs(resolveProfile('review'), { num: 25, den: 1 }).join(' ')).toMatch(
      /libx264 -profile:v high .* -pix_fmt yuv420p -g 50 -movflags \+faststart/,
    );
    expect(videoCodecArgs(resolveProfile('premiere'), { num: 25, den: 1 }).join(' ')).toMatch(
      /-c:v prores -profile:v 0 -pix_fmt yuv422p10le/,
    );
  });
});

describe('sizes', () => {
  it.each([
    [picture(3840, 2160), 1920, { width: 1920, height: 1080 }],
    [picture(1280, 720), 1920, { width: 1280, height: 720 }],
    [picture(4096, 1716), 1920, { width: 1920, height: 804 }],
    [picture(2880, 2160, 2), 1920, { width: 1920, height: 720 }],
    [picture(721, 405), 1920, { width: 722, height: 406 }],
  ])('fitSize %o ≤ %i → %o', (p, max, expected) => expect(fitSize(p, max)).toEqual(expected));

  it.each([
    [picture(3840, 2160), { width: 1920, height: 1080 }],
    [picture(4096, 1716), { width: 1920, height: 804 }],
    [picture(1440, 1080), { width: 1440, height: 1080 }],
  ])('fitRaster %o into 1920×1080 → %o', (p, expected) =>
    expect(fitRaster(p, { width: 1920, height: 1080 })).toEqual(expected),
  );
});

describe('filter escaping', () => {
  it('quotes values and escapes the graph level so names cannot inject filters', () => {
    expect(quoteOptionValue("it's")).toBe(`'it'\\''s'`);
    expect(escapeForGraph("a,b;c[d]'e\\")).toBe("a\\,b\\;c\\[d\\]\\'e\\\\");
    expect(filter('drawtext', { text: 'A001: take 1, [x]', x: 10 })).toBe(
      "drawtext=text=\\'A001: take 1\\, \\[x\\]\\':x=10",
    );
    expect(filter('null')).toBe('null');
  });

  it('keeps % in sequence names literal and reads files through file:', () => {
    expect(
      inputArgs(
        {
          kind: 'sequence',
          folder: '/m',
          sequence: { prefix: '50%_', suffix: '.dpx', padding: 7, first: 86400 },
        },
        { num: 25, den: 1 },
      ),
    ).toEqual(['-framerate', '25/1', '-start_number', '86400', '-i', 'file:/m/50%%_%07d.dpx']);
    expect(inputArgs({ kind: 'file', path: '/m/a:b.mov' })).toEqual(['-i', 'file:/m/a:b.mov']);
  });

  it('names safe output files', () => {
    expect(safeBaseName('../A001:C002?')).toBe('_A001_C002_');
    expect(safeBaseName('...')).toBe('clip');
  });
});

describe('burn-ins', () => {
  const source = {
    clipName: "A001's",
    reel: 'A001',
    startTimecode: '01:00:00;00',
    frameRate: { num: 30000, den: 1001 },
  };
  it('draws the chosen fields with the font, the timecode at the source rate', () => {
    const filters = burnInFilters(
      { ...NO_BURN_INS, timecode: true, frameCounter: true, frameCounterStart: 1001 },
      source,
      1080,
      '/f.ttf',
    );
    expect(filters).toHaveLength(2);
    expect(filters[0]).toContain("timecode=\\'01:00:00\\;00\\':rate=\\'30000/1001\\'");
    expect(filters[1]).toContain('%{eif:n+1001:d}');
    expect(filters[0]).toContain('fontsize=46');
  });
  it('needs no font without burn-ins, and says which package gives one', () => {
    expect(burnInFilters(NO_BURN_INS, source, 1080, undefined)).toEqual([]);
    expect(() => burnInFilters({ ...NO_BURN_INS, clipName: true }, source, 1080, undefined)).toThrow(
      /fonts-dejavu-core/,
    );
  });
});

describe('colour filters', () => {
  it('chains camera → ACEScct → [look] → display; Rec.709 passes through', () => {
    expect(lutsFor({ input: 'sony_slog3_sgamut3cine' })).toEqual([
      'sony_slog3_sgamut3cine',
      'acescct_to_rec709',
    ]);
    expect(lutsFor({ input: 'rec709' })).toEqual([]);
    const cubes = { sony_slog3_sgamut3cine: '/l/a.cube', acescct_to_rec709: '/l/b.cube' };
    const look = {
      slope: [1, 1, 1] as [number, number, number],
      offset: [0, 0, 0] as [number, number, number],
      power: [1, 1, 1] as [number, number, number],
      saturation: 0.5,
    };
    const chain = colorFilters({ input: 'sony_slog3_sgamut3cine', look }, cubes);
    expect(chain.map((f) => f.split('=')[0])).toEqual(['lut3d', 'lutrgb', 'colorchannelmixer', 'lut3d']);
    expect(chain[0]).toBe("lut3d=file=\\'/l/a.cube\\':interp=\\'tetrahedral\\'");
    expect(() => colorFilters({ input: 'red_log3g10_rwg' }, cubes)).toThrow(/no .cube file/);
  });

  it('writes the ASC CDL saturation matrix around Rec.709 luma', () => {
    const [, mixer] = cdlFilters({ slope: [1, 1, 1], offset: [0, 0, 0], power: [1, 1, 1], saturation: 0 });
    // Saturation 0: every output channel is the luma.
    expect(mixer).toContain("rr=\\'0.2126\\':rg=\\'0.7152\\':rb=\\'0.0722\\':gr=\\'0.2126\\'");
  });

  it('unpacks a packed LUT into a .cube', () => {
    const size = 2;
    const codes = [0, 65535, 0, 65535, 0, 65535, 0, 65535];
    const body = Buffer.alloc(6 + size ** 3 * 6);
    body.write('RLUT', 0, 'latin1');
    body[4] = 1;
    body[5] = size;
    for (let c = 0; c < 3; c++) {
      let previous = 0;
      codes.forEach((code, i) => {
        const delta = (code - previous) & 0xffff;
        previous = code;
        body[6 + c * 16 + i] = delta & 0xff;
        body[6 + c * 16 + 8 + i] = delta >> 8;
      });
    }
    const { size: s, values } = unpackLut(gzipSync(body));
    expect(s).toBe(2);
    expect([...values.slice(0, 6)]).toEqual([0, 0, 0, 1, 1, 1]);
    expect(cubeText('t', s, values).split('\n').slice(0, 6)).toEqual([
      'TITLE "t"',
      'LUT_3D_SIZE 2',
      'DOMAIN_MIN 0 0 0',
      'DOMAIN_MAX 1 1 1',
      '0.000000 0.000000 0.000000',
      '1.000000 1.000000 1.000000',
    ]);
    expect(() => unpackLut(gzipSync(Buffer.from('nope')))).toThrow(/not a packed Rushes LUT/);
  });
});

describe('scrub strip', () => {
  it('spreads N frames over the clip and indexes them by time', () => {
    const layout = stripLayout({ frames: 20, width: 160 }, 240, 16 / 9);
    expect(layout).toEqual({ step: 12, count: 20, tileWidth: 160, tileHeight: 90 });
    const tiles = stripTiles(layout, 1 / 24, 10);
    expect(tiles[1]).toEqual({
      index: 1,
      startSeconds: 0.5,
      endSeconds: 1,
      x: 160,
      y: 0,
      width: 160,
      height: 90,
    });
    expect(tiles.at(-1)!.endSeconds).toBe(10);
    expect(stripVtt(tiles.slice(0, 2), 's.jpg')).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:00.500\ns.jpg#xywh=0,0,160,90\n\n00:00:00.500 --> 00:00:01.000\ns.jpg#xywh=160,0,160,90\n',
    );
  });
  it('never asks for more tiles than frames', () => {
    expect(stripLayout({ frames: 20, width: 160 }, 5, 1)).toMatchObject({ step: 1, count: 5 });
  });
});

describe('progress', () => {
  it('turns -progress blocks into a throttled, rising fraction ending at 1', () => {
    let clock = 0;
    const seen: number[] = [];
    const tracker = trackProgress(
      10,
      { num: 25, den: 1 },
      (f) => seen.push(f),
      250,
      () => clock,
    );
    tracker.feed('frame=50\nout_time_us=9000000\nprogress=continue\nfra');
    clock = 100;
    tracker.feed('me=100\nprogress=continue\n');
    clock = 400;
    tracker.feed('frame=200\nprogress=continue\nframe=250\nprogress=end\n');
    expect(seen).toEqual([0.2, 0.8, 1]);
    expect(tracker.ended).toBe(true);
    expect(tracker.seconds).toBe(10);
  });
  it('uses out_time for sound', () => {
    const tracker = trackProgress(4, undefined, undefined);
    tracker.feed('out_time_us=1000000\nprogress=continue\n');
    expect(tracker.seconds).toBe(1);
  });
});

describe('identity', () => {
  const base = {
    source: 'xxh64:0123',
    output: 'review',
    settings: resolveProfile('review'),
    color: { input: 'arri_logc3_awg3' as const },
    engineVersion: '1',
  };
  it('is stable under key order and changes with what decides the bytes', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    const id = derivedIdentity(base);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(derivedIdentity({ ...base, settings: { ...resolveProfile('review') } })).toBe(id);
    const look = {
      slope: [1.1, 1, 1] as [number, number, number],
      offset: [0, 0, 0] as [number, number, number],
      power: [1, 1, 1] as [number, number, number],
      saturation: 1,
    };
    expect(derivedIdentity({ ...base, color: { ...base.color, look } })).not.toBe(id);
    expect(derivedIdentity({ ...base, source: 'xxh64:0124' })).not.toBe(id);
    expect(derivedIdentity({ ...base, engineVersion: '2' })).not.toBe(id);
    expect(derivedIdentity({ ...base, settings: resolveProfile('review', { maxWidth: 1280 }) })).not.toBe(id);
  });
});

describe('plan', () => {
  const source: RenderSource = {
    input: { kind: 'file', path: '/m/clip.mov' },
    clipName: 'clip',
    picture: picture(1920, 1080),
    audio: { channels: 2, sampleRateHz: 48000 },
    startTimecode: '10:00:00:00',
    durationSeconds: 10,
  };
  it('decodes once: one input, one filter graph, four outputs', () => {
    const plan = buildRenderPlan(
      source,
      {
        proxy: resolveProfile('review'),
        images: DEFAULT_IMAGES,
        colorFilters: ['lut3d=file=a'],
        font: '/f.ttf',
      },
      (k, e) => `/o/${k}.${e}`,
    );
    expect(plan.args.filter((a) => a === '-i')).toHaveLength(1);
    expect(plan.args.filter((a) => a === '-filter_complex')).toHaveLength(1);
    expect(plan.outputs.map((o) => o.kind)).toEqual(['proxy', 'poster', 'thumbnail', 'strip']);
    const graph = plan.args[plan.args.indexOf('-filter_complex') + 1]!;
    // The colour runs on the main branch and the thinned strip branch, nowhere else.
    expect(graph.match(/lut3d/g)).toHaveLength(2);
    expect(graph).toMatch(/\[thin\]select=expr=\\'not\(mod\(n\\,12\)\)\\'/);
    expect(plan.args).toContain('-write_tmcd');
  });
  it('gives every part of the render its share of threads: decoder, filter graph, each encoder', () => {
    const request = {
      proxy: resolveProfile('review'),
      images: DEFAULT_IMAGES,
      colorFilters: [],
      font: '/f.ttf',
    };
    const plan = buildRenderPlan(source, { ...request, threads: 2 }, (k, e) => `/o/${k}.${e}`);
    const args = plan.args;
    // The decoder's before -i, the graph's global, one per output after its codec.
    expect(args.slice(args.indexOf('-i') - 2, args.indexOf('-i'))).toEqual(['-threads', '2']);
    expect(args[args.indexOf('-filter_complex_threads') + 1]).toBe('2');
    const perOutput = args.filter((a, i) => a === '-threads' && i > args.indexOf('-i'));
    expect(perOutput).toHaveLength(plan.outputs.length);
    expect(args.filter((a, i) => a === '2' && args[i - 1] === '-threads')).toHaveLength(
      plan.outputs.length + 1,
    );
    // Unset: ffmpeg's own choice, no option at all.
    const unset = buildRenderPlan(source, request, (k, e) => `/o/${k}.${e}`).args;
    expect(unset.filter((a) => a === '-threads' || a === '-filter_complex_threads')).toEqual([]);
    // A sound: its decoder and its one encoder.
    const sound = buildRenderPlan(
      { ...source, picture: undefined },
      { ...request, threads: 1 },
      () => '/o/x',
    );
    expect(sound.args.filter((a) => a === '-threads')).toHaveLength(2);
  });
  it('makes a sound preview and a waveform of sound-only sources', () => {
    const sound = { ...source, picture: undefined };
    const plan = buildRenderPlan(
      sound,
      { proxy: resolveProfile('review'), images: DEFAULT_IMAGES, colorFilters: [] },
      (k, e) => `/o/${k}.${e}`,
    );
    expect(plan.outputs).toEqual([
      { kind: 'proxy', name: '/o/proxy.m4a' },
      { kind: 'waveform', name: '/o/waveform.png' },
    ]);
    expect(() =>
      buildRenderPlan(sound, { proxy: resolveProfile('premiere'), colorFilters: [] }, () => 'x'),
    ).toThrow(/sound only/);
  });
  it('stretches a sound shorter than the waveform is wide, and pads what cannot be stretched', () => {
    const chain = (sampleRateHz: number, seconds: number) => waveformChain({ sampleRateHz }, seconds);
    const draw = String.raw`showwavespic=s=\'1800x240\':split_channels=1:colors=\'0x7fb8ff|0x4f88cf\'`;
    // 3 s at 48 kHz: as recorded (apad only acts below 1,800 samples).
    expect(chain(48000, 3)).toBe(`apad=whole_len=1800,${draw}`);
    // 0.05 s at 22.05 kHz = 1,103 samples: resampled to 36 kHz, 1,800 samples.
    expect(chain(22050, 0.05)).toBe(`aresample=osr=36000,apad=whole_len=1800,${draw}`);
    // 0.05 s at 8 kHz = 400 samples.
    expect(chain(8000, 0.05)).toBe(`aresample=osr=36000,apad=whole_len=1800,${draw}`);
    // One sample: the resampler would return nothing, so silence fills the picture instead.
    expect(chain(48000, 1 / 48000)).toBe(`apad=whole_len=1800,${draw}`);
    expect(chain(48000, 0)).toBe(`apad=whole_len=1800,${draw}`);
  });
  it('classifies ffmpeg failures', () => {
    const failed = (message: string) => new EngineError('TOOL_FAILED', message, { tool: 'ffmpeg' });
    expect(renderFailure(failed('ffmpeg exited with status 1: moov atom not found'), 'c').code).toBe(
      'TRUNCATED',
    );
    expect(
      renderFailure(failed('ffmpeg exited with status 1: Invalid data found when processing input'), 'c')
        .code,
    ).toBe('UNDECODABLE');
    expect(renderFailure(failed('ffmpeg exited with status 1: Unknown encoder'), 'c').code).toBe(
      'TOOL_FAILED',
    );
  });
});
