/**
 * One ffmpeg command for a whole render job, as data (pure): the proxy and every image from a
 * single decode through one split filter graph. The picture is scaled once, to the proxy's size,
 * before colour; the strip branch is thinned to its few frames before it is scaled and coloured.
 *
 *   [0:v] split ─ main: scale → RGB16 → colour ─ split ─ proxy: [pad] → YUV → burn-ins → encoder
 *                │                                    └ poster frame ─ split ─ poster.jpg
 *                │                                                     └ thumbnail.jpg
 *                └ strip: every Nth frame → scale → RGB16 → colour → tile → strip.jpg
 *
 * Audio-only sources: AAC preview + waveform PNG from one decode.
 */
import type { Rational } from '@rushes/schema/metadata';
import { needsPicture } from '@rushes/schema/profiles';
import { filter } from '../color/filter-escape.ts';
import { EngineError } from '../errors.ts';
import {
  audioCodecArgs,
  outputPixelFormat,
  videoCodecArgs,
  type BurnIns,
  type ProxyProfile,
} from './profiles.ts';
import type { RenderInput, RenderSource } from './source.ts';
import { even, stripLayout, type StripLayout, type StripOptions } from './strip.ts';

export interface ImageOptions {
  /** Where the poster frame is, as a fraction of the clip (0.5: the middle). */
  posterAt: number;
  thumbnailWidth: number;
  strip: StripOptions;
}

export const DEFAULT_IMAGES: ImageOptions = {
  posterAt: 0.5,
  thumbnailWidth: 320,
  strip: { frames: 20, width: 160 },
};

export type OutputKind = 'proxy' | 'poster' | 'thumbnail' | 'strip' | 'waveform';

export interface PlannedOutput {
  kind: OutputKind;
  /** Path the command writes it to. */
  name: string;
  /** Picture size, when it has one. */
  width?: number;
  height?: number;
}

export interface RenderRequest {
  proxy?: ProxyProfile;
  images?: ImageOptions;
  /** Resolved colour filters (see color/resolve.ts); empty: as shot. */
  colorFilters: readonly string[];
  /** Font file for burn-ins. */
  font?: string;
  /**
   * Threads ffmpeg uses to decode, filter and encode. Default: ffmpeg's own choice (every core
   * the process may use) — a worker running several renders at once gives each its share.
   */
  threads?: number;
}

/** Pure: ffmpeg options for `threads` — the decoder's go before `-i`, the filters' are global. */
export function threadArgs(threads: number | undefined): {
  input: string[];
  filters: string[];
  output: string[];
} {
  if (threads === undefined) return { input: [], filters: [], output: [] };
  const n = String(Math.max(1, Math.floor(threads)));
  return { input: ['-threads', n], filters: ['-filter_complex_threads', n], output: ['-threads', n] };
}

export interface RenderPlan {
  args: string[];
  outputs: PlannedOutput[];
  strip?: StripLayout;
  /** Seconds of media the command renders, for progress. */
  durationSeconds: number;
}

const rateText = (r: Rational) => `${r.num}/${r.den}`;

/** Size of a sound's waveform picture. */
export const WAVEFORM_SIZE = { width: 1800, height: 240 } as const;

/**
 * Below this many samples the resampler returns nothing at all (16 samples gave no output with
 * ffmpeg 5.1), so such a blip is padded, never stretched.
 */
const MIN_STRETCH_SAMPLES = 64;

/**
 * Pure: the filter chain that draws a sound's waveform. showwavespic needs at least one sample
 * per column and otherwise writes no picture (0.05 s at 22.05 kHz is 1,103 samples for 1,800
 * columns): a shorter sound is resampled up so it still spans the picture, and padded with
 * silence to the width as a last resort (a handful of samples, or a duration the probe got
 * wrong). Only the picture's branch is touched; the sound preview keeps the samples as they are.
 */
export function waveformChain(audio: { sampleRateHz: number }, durationSeconds: number): string {
  const { width, height } = WAVEFORM_SIZE;
  const samples = Math.round(audio.sampleRateHz * durationSeconds);
  const chain: string[] = [];
  if (samples < width && samples >= MIN_STRETCH_SAMPLES)
    chain.push(filter('aresample', { osr: Math.ceil(width / durationSeconds) }));
  chain.push(filter('apad', { whole_len: width }));
  chain.push(
    filter('showwavespic', { s: `${width}x${height}`, split_channels: 1, colors: '0x7fb8ff|0x4f88cf' }),
  );
  return chain.join(',');
}

/** Pure: output size for a maximum width, keeping the display aspect, never upscaling. */
export function fitSize(source: NonNullable<RenderSource['picture']>, maxWidth: number) {
  const displayWidth = source.width * source.pixelAspect;
  const width = even(Math.min(maxWidth, displayWidth));
  return { width, height: even((width * source.height) / displayWidth) };
}

/** Pure: size inside a fixed raster (letter- or pillar-boxed), keeping the display aspect. */
export function fitRaster(
  source: NonNullable<RenderSource['picture']>,
  raster: { width: number; height: number },
) {
  const aspect = (source.width * source.pixelAspect) / source.height;
  return aspect >= raster.width / raster.height
    ? { width: raster.width, height: even(raster.width / aspect) }
    : { width: even(raster.height * aspect), height: raster.height };
}

/** Pure: ffmpeg input arguments; `file:` so names with colons are never taken as protocols. */
export function inputArgs(input: RenderInput, rate?: Rational): string[] {
  if (input.kind === 'file') return ['-i', `file:${input.path}`];
  const { prefix, suffix, padding, first } = input.sequence;
  const pattern = `${prefix.replace(/%/g, '%%')}%0${padding}d${suffix.replace(/%/g, '%%')}`;
  return [
    ...(rate ? ['-framerate', rateText(rate)] : []),
    '-start_number',
    String(first),
    '-i',
    `file:${input.folder}/${pattern}`,
  ];
}

/** Pure: drawtext filters for the burn-ins at a picture height. */
export function burnInFilters(
  burnIns: BurnIns,
  source: Pick<RenderSource, 'clipName' | 'reel' | 'startTimecode'> & { frameRate: Rational },
  height: number,
  font: string | undefined,
): string[] {
  const wanted =
    burnIns.timecode || burnIns.clipName || (burnIns.reel && source.reel) || burnIns.frameCounter;
  if (!wanted) return [];
  if (!font)
    throw new EngineError(
      'UNSUPPORTED_FEATURE',
      'burn-ins need a font file: install fonts-dejavu-core or set the font',
    );
  const size = even(height / 24);
  const margin = Math.round(size / 2);
  const common = {
    fontfile: font,
    fontsize: size,
    fontcolor: 'white',
    box: 1,
    boxcolor: 'black@0.55',
    boxborderw: Math.round(size / 5),
  };
  const out: string[] = [];
  if (burnIns.clipName)
    out.push(
      filter('drawtext', { ...common, expansion: 'none', text: source.clipName, x: margin, y: margin }),
    );
  if (burnIns.reel && source.reel)
    out.push(
      filter('drawtext', { ...common, expansion: 'none', text: source.reel, x: `w-tw-${margin}`, y: margin }),
    );
  if (burnIns.timecode)
    out.push(
      filter('drawtext', {
        ...common,
        timecode: source.startTimecode ?? '00:00:00:00',
        rate: rateText(source.frameRate),
        x: margin,
        y: `h-th-${margin}`,
      }),
    );
  if (burnIns.frameCounter)
    out.push(
      filter('drawtext', {
        ...common,
        text: `%{eif:n+${Math.trunc(burnIns.frameCounterStart)}:d}`,
        x: `w-tw-${margin}`,
        y: `h-th-${margin}`,
      }),
    );
  return out;
}

const toRgb = (picture: NonNullable<RenderSource['picture']>, width: number, height: number) =>
  filter('scale', {
    w: width,
    h: height,
    flags: 'bicubic',
    in_color_matrix: picture.matrix,
    in_range: picture.range,
  }) + ',format=gbrp16le';
const toYuv = (pixelFormat: string, range: 'tv' | 'pc') =>
  `${filter('scale', { out_color_matrix: 'bt709', out_range: range })},format=${pixelFormat},` +
  filter('setparams', { color_primaries: 'bt709', color_trc: 'bt709', colorspace: 'bt709', range });

/** Each image output rewrites its file per frame it gets (`-update`); the last one stays. */
const JPEG = ['-c:v', 'mjpeg', '-q:v', '3', '-update', '1'];

function timecodeArgs(source: RenderSource, profile: ProxyProfile): string[] {
  if (!source.startTimecode) return [];
  const args = ['-timecode', source.startTimecode];
  // An MP4 proxy asks the muxer for its tmcd track explicitly.
  if (profile.extension === 'mp4') args.push('-write_tmcd', 'on');
  return args;
}

function reelArgs(source: RenderSource, profile: ProxyProfile): string[] {
  if (!source.reel) return [];
  // MXF: the tape (source package) name; MOV/MP4: the tmcd track's name.
  return profile.extension === 'mxf'
    ? ['-metadata', `reel_name=${source.reel}`]
    : ['-metadata:s:v:0', `reel_name=${source.reel}`];
}

/** Pure: the whole command line (after the ffmpeg executable) for `request` on `source`. */
export function buildRenderPlan(
  source: RenderSource,
  request: RenderRequest,
  output: (kind: OutputKind, ext: string) => string,
): RenderPlan {
  const base = [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-progress',
    'pipe:1',
    '-nostats',
    '-stats_period',
    '0.25',
  ];
  const threads = threadArgs(request.threads);
  base.push(...threads.filters);
  const input = (args: string[]) => [...threads.input, ...args];
  const picture = source.picture;
  const outputs: PlannedOutput[] = [];
  const add = (kind: OutputKind, ext: string, size?: { width: number; height: number }) => {
    const name = output(kind, ext);
    outputs.push({ kind, name, ...size });
    return `file:${name}`;
  };

  if (!picture) {
    if (!source.audio) throw new EngineError('NOT_MEDIA', `${source.clipName} has neither picture nor sound`);
    if (request.proxy && needsPicture(request.proxy.id))
      throw new EngineError(
        'NO_PICTURE',
        `${source.clipName} is sound only: the ${request.proxy.id} profile needs a picture`,
      );
    const args = [...base, ...input(inputArgs(source.input)), '-map_metadata', '-1'];
    const graph: string[] = [];
    const audioOut = request.proxy ? 'a' : undefined;
    if (request.images && audioOut) graph.push('[0:a:0]asplit=2[a][w0]');
    const waveIn = request.images ? (audioOut ? '[w0]' : '[0:a:0]') : undefined;
    if (waveIn) graph.push(`${waveIn}${waveformChain(source.audio, source.durationSeconds)}[w]`);
    if (graph.length) args.push('-filter_complex', graph.join(';'));
    if (request.proxy) {
      args.push(
        '-map',
        request.images ? '[a]' : '0:a:0',
        ...audioCodecArgs(request.proxy, source.audio.channels),
        ...threads.output,
      );
      args.push('-movflags', '+faststart', '-f', 'mp4', add('proxy', 'm4a'));
    }
    if (request.images) args.push('-map', '[w]', '-frames:v', '1', '-update', '1', add('waveform', 'png'));
    return { args, outputs, durationSeconds: source.durationSeconds };
  }

  const rate = picture.frameRate;
  const totalFrames = Math.max(1, Math.round((source.durationSeconds * rate.num) / rate.den));
  const proxy = request.proxy;
  const images = request.images;
  const main = proxy?.raster ? fitRaster(picture, proxy.raster) : fitSize(picture, proxy?.maxWidth ?? 1920);
  const color = request.colorFilters.join(',');
  const colored = (chain: string) => (color ? `${chain},${color}` : chain);

  const graph: string[] = [];
  const strip = images
    ? stripLayout(images.strip, totalFrames, (picture.width * picture.pixelAspect) / picture.height)
    : undefined;
  graph.push(strip ? '[0:v:0]split=2[main][thin]' : '[0:v:0]null[main]');
  const mainBranches = [proxy ? '[p]' : '', images ? '[i]' : ''].filter(Boolean);
  graph.push(
    `[main]${colored(toRgb(picture, main.width, main.height))}` +
      (mainBranches.length > 1 ? `,split=2${mainBranches.join('')}` : (mainBranches[0] ?? '[p]')),
  );

  const args = [
    ...base,
    ...input(inputArgs(source.input, source.input.kind === 'sequence' ? rate : undefined)),
  ];
  const maps: string[][] = [];
  if (proxy) {
    const pad = proxy.raster
      ? `${filter('pad', { w: proxy.raster.width, h: proxy.raster.height, x: '(ow-iw)/2', y: '(oh-ih)/2' })},`
      : '';
    const height = proxy.raster?.height ?? main.height;
    const burn = burnInFilters(proxy.burnIns, { ...source, frameRate: rate }, height, request.font);
    graph.push(`[p]${pad}${[toYuv(outputPixelFormat(proxy), 'tv'), ...burn].join(',')}[proxy]`);
    maps.push([
      '-map',
      '[proxy]',
      '-map',
      '0:a:0?',
      ...videoCodecArgs(proxy, rate),
      ...threads.output,
      '-r',
      rateText(rate),
      ...(source.audio ? audioCodecArgs(proxy, source.audio.channels) : []),
      ...timecodeArgs(source, proxy),
      ...reelArgs(source, proxy),
      add('proxy', proxy.extension, proxy.raster ?? main),
    ]);
  }
  if (images && strip) {
    const thumbnail = {
      width: even(images.thumbnailWidth),
      height: even((images.thumbnailWidth * main.height) / main.width),
    };
    const posterFrame = Math.min(totalFrames - 1, Math.max(0, Math.floor(totalFrames * images.posterAt)));
    // Frame 0 as well, so these outputs start at once (see strip.ts); frame P overwrites it.
    graph.push(`[i]${filter('select', { expr: `eq(n,0)+eq(n,${posterFrame})` })},split=2[po][th]`);
    graph.push(`[po]${toYuv('yuvj420p', 'pc')}[poster]`);
    graph.push(
      `[th]${filter('scale', { w: thumbnail.width, h: thumbnail.height })},${toYuv('yuvj420p', 'pc')}[thumbnail]`,
    );
    graph.push(
      `[thin]${filter('select', { expr: `not(mod(n,${strip.step}))` })},` +
        `${colored(toRgb(picture, strip.tileWidth, strip.tileHeight))},` +
        `${toYuv('yuvj420p', 'pc')},` +
        `${filter('tile', { layout: `${strip.count}x1`, overlap: strip.count - 1, init_padding: strip.count - 1 })}[strip]`,
    );
    maps.push(['-map', '[poster]', ...JPEG, ...threads.output, add('poster', 'jpg', main)]);
    maps.push(['-map', '[thumbnail]', ...JPEG, ...threads.output, add('thumbnail', 'jpg', thumbnail)]);
    maps.push([
      '-map',
      '[strip]',
      ...JPEG,
      ...threads.output,
      add('strip', 'jpg', { width: strip.tileWidth * strip.count, height: strip.tileHeight }),
    ]);
  }
  args.push('-filter_complex', graph.join(';'), '-map_metadata', '-1', ...maps.flat());
  return { args, outputs, strip, durationSeconds: source.durationSeconds };
}
