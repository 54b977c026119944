/**
 * ffprobe at the boundary: the command as data, its JSON as a minimal typed shape, and the facts
 * it states. Nothing downstream sees ffprobe's output.
 */
import type { Command } from '../process/run.ts';
import { PRIORITY, type Fact, type FieldPath } from './facts.ts';

export interface FfprobeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  codec_long_name?: string;
  codec_tag_string?: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  sample_aspect_ratio?: string;
  field_order?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  duration_ts?: number;
  time_base?: string;
  bits_per_raw_sample?: string;
  bits_per_sample?: number;
  sample_rate?: string;
  channels?: number;
  color_primaries?: string;
  color_transfer?: string;
  color_space?: string;
  color_range?: string;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
}

export interface FfprobeOutput {
  format?: {
    format_name?: string;
    format_long_name?: string;
    duration?: string;
    size?: string;
    bit_rate?: string;
    tags?: Record<string, string>;
  };
  streams?: FfprobeStream[];
}

export function buildFfprobeCommand(executable: string, file: string): Command {
  return {
    tool: 'ffprobe',
    executable,
    args: [
      '-v',
      'error',
      '-hide_banner',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      '--',
      file,
    ],
  };
}

/** `24000/1001` → { num, den }; undefined for `0/0` and nonsense. */
export function parseRational(text: string | undefined): { num: number; den: number } | undefined {
  const m = /^(\d+)[/:](\d+)$/.exec(text ?? '');
  if (!m) return undefined;
  const num = Number(m[1]);
  const den = Number(m[2]);
  if (!num || !den) return undefined;
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const d = gcd(num, den);
  return { num: num / d, den: den / d };
}

/** Chroma subsampling and bit depth from a pixel format name (yuv422p10le → 4:2:2, 10). */
export function describePixelFormat(pixFmt: string | undefined): { chroma?: string; bitDepth?: number } {
  if (!pixFmt) return {};
  const chroma = /^yuva?444|^gbr|^rgb|^bgr/.test(pixFmt)
    ? '4:4:4'
    : /^yuva?422|^yuyv422|^uyvy422|^v210/.test(pixFmt)
      ? '4:2:2'
      : /^yuva?420|^nv12|^p010/.test(pixFmt)
        ? '4:2:0'
        : /^yuv411/.test(pixFmt)
          ? '4:1:1'
          : /^gray/.test(pixFmt)
            ? '4:0:0'
            : undefined;
  const depth = /(\d+)(?:le|be)?$/.exec(pixFmt.replace(/^(yuva?\d{3}p|gbrap?|gray|p0)/, ''))?.[1];
  const bitDepth =
    pixFmt === 'v210'
      ? 10
      : depth
        ? Number(depth)
        : /^(yuv|nv12|gbrp$|rgb24|bgr24|gray$|yuyv|uyvy)/.test(pixFmt)
          ? 8
          : undefined;
  return { ...(chroma ? { chroma } : {}), ...(bitDepth ? { bitDepth } : {}) };
}

/** Nominal rates a clip's measured rate snaps to (within 0.1 %). */
const STANDARD_RATES: readonly { num: number; den: number }[] = [
  [24000, 1001],
  [24, 1],
  [25, 1],
  [30000, 1001],
  [30, 1],
  [48000, 1001],
  [48, 1],
  [50, 1],
  [60000, 1001],
  [60, 1],
  [96, 1],
  [100, 1],
  [120000, 1001],
  [120, 1],
].map(([num, den]) => ({ num: num!, den: den! }));

const fpsOf = (r: { num: number; den: number }) => r.num / r.den;
const close = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance * Math.max(a, b);

/** Pure: `rate` as a standard nominal rate when it is within 0.1 % of one, else as it is. */
function snap(rate: { num: number; den: number }): { num: number; den: number } {
  return STANDARD_RATES.find((s) => close(fpsOf(s), fpsOf(rate), 0.001)) ?? rate;
}

/**
 * Pure: the frame rate a video stream states, and which of ffprobe's values said it. ffprobe's
 * `r_frame_rate` is its guess of the base rate; in a QuickTime/MP4 with irregular frame
 * durations it falls back to the track's timescale (90000, 600, 1000) — not a rate. So a value
 * is taken only when it is a plausible rate (≤ 1000 fps) and, when the stream carries a frame
 * count and duration, agrees with them (within 1 %) or is not the timescale; otherwise the
 * measured average (avg_frame_rate, else nb_frames ÷ duration), snapped to a nominal rate.
 * Absent when nothing states one (a still image, a 0/0 rate).
 */
export function streamFrameRate(
  stream: FfprobeStream,
): { rate: { num: number; den: number }; detail: string } | undefined {
  const at = `streams[${stream.index}]`;
  const timeBase = parseRational(stream.time_base);
  const timescale = timeBase ? timeBase.den / timeBase.num : undefined;
  const frames = Number(stream.nb_frames);
  const seconds = Number(stream.duration);
  const measured = frames > 1 && seconds > 0 ? frames / seconds : undefined;
  const plausible = (r: { num: number; den: number } | undefined) =>
    r !== undefined && fpsOf(r) > 0 && fpsOf(r) <= 1000;
  const agrees = (r: { num: number; den: number }) =>
    measured === undefined || close(fpsOf(r), measured, 0.01);
  const real = parseRational(stream.r_frame_rate);
  const avg = parseRational(stream.avg_frame_rate);
  // A rate equal to the track's timescale and above any camera's is the timescale, unless the
  // frame count and duration confirm it.
  const timescaleLike = (r: { num: number; den: number }) =>
    measured === undefined && timescale !== undefined && fpsOf(r) === timescale && fpsOf(r) > 120;
  const stated = (r: { num: number; den: number } | undefined): r is { num: number; den: number } =>
    plausible(r) && agrees(r!) && !timescaleLike(r!);
  if (stated(real)) return { rate: real, detail: `${at}.r_frame_rate` };
  if (stated(avg)) return { rate: snap(avg), detail: `${at}.avg_frame_rate` };
  if (measured !== undefined && measured <= 1000) {
    const rate = snap({ num: Math.round(measured * 1000), den: 1000 });
    const reduced = parseRational(`${rate.num}/${rate.den}`)!;
    return { rate: reduced, detail: `${at}.nb_frames ÷ ${at}.duration` };
  }
  return undefined;
}

/** Pure: whether ffprobe read the file with an image demuxer (a still), whose rate is its default. */
export function isImageDemuxer(formatName: string | undefined): boolean {
  return /(^|,)(image2|image2pipe|[a-z0-9]+_pipe)(,|$)/.test(formatName ?? '');
}

const CODEC_NAMES: Record<string, string> = {
  prores: 'Apple ProRes',
  dnxhd: 'Avid DNxHD/DNxHR',
  h264: 'H.264',
  hevc: 'HEVC',
  jpeg2000: 'JPEG 2000',
  mjpeg: 'Motion JPEG',
  dvvideo: 'DV',
  rawvideo: 'Uncompressed',
  cfhd: 'GoPro CineForm',
};

/**
 * Pure: an MXF operational pattern from its UL (`060e2b34.04010102.0d010201.01010900` → OP1a,
 * `….0d010201.10…` → OP-Atom).
 */
export function mxfOperationalPattern(ul: string | undefined): string | undefined {
  const m = /0d010201\.([0-9a-f]{2})([0-9a-f]{2})/i.exec(ul ?? '');
  if (!m) return undefined;
  if (m[1]!.toLowerCase() === '10') return 'OP-Atom';
  const item = Number.parseInt(m[1]!, 16);
  const pkg = Number.parseInt(m[2]!, 16);
  if (item < 1 || item > 3 || pkg < 1 || pkg > 3) return undefined;
  return `OP${item}${'abc'[pkg - 1]}`;
}

/**
 * ARRI ALEXA QuickTime (ProRes) keys, `com.arri.camera.*` in the movie's `mdta` metadata, as
 * ffprobe lists them in `format.tags`. Only keys whose name and text form are corroborated are
 * mapped; the rest (shutter angle, tint, lens data, sensor rate, gamut) wait for real clips to
 * check their units against.
 */
const ARRI_KEYS: readonly [string, FieldPath, 'text' | 'number'][] = [
  ['CameraModel', 'camera.model', 'text'],
  ['CameraSerialNumber', 'camera.serial', 'text'],
  ['CameraIndex', 'identity.cameraUnit', 'text'],
  ['ReelName', 'identity.reel', 'text'],
  ['SceneName', 'identity.scene', 'text'],
  ['TakeName', 'identity.take', 'text'],
  ['ExposureIndexAsa', 'exposure.exposureIndex', 'number'],
  ['WhiteBalanceKelvin', 'exposure.whiteBalanceK', 'number'],
  ['LensType', 'lens.model', 'text'],
  ['ColorGammaSxS', 'color.transfer', 'text'],
];

/** Pure: facts from ARRI's QuickTime keys (matched without regard to case). */
export function arriQuickTimeFacts(tags: Record<string, string>): Fact[] {
  const byKey = new Map(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), { key: k, value: v }]));
  const facts: Fact[] = [];
  for (const [name, field, kind] of ARRI_KEYS) {
    const found = byKey.get(`com.arri.camera.${name}`.toLowerCase());
    const text = found?.value.trim();
    if (!found || !text) continue;
    const value = kind === 'number' ? Number(text) : text;
    if (kind === 'number' && !(Number.isFinite(value) && (value as number) > 0)) continue;
    facts.push({
      field,
      value,
      source: 'container',
      detail: `format.tags.${found.key}`,
      priority: PRIORITY.container,
    });
  }
  // Only ARRI writes its own namespace: the keys state the make.
  const any = [...byKey.keys()].find((k) => k.startsWith('com.arri.camera.'));
  if (any && !byKey.has('com.apple.quicktime.make'))
    facts.push({
      field: 'camera.make',
      value: 'ARRI',
      source: 'container',
      detail: `format.tags.${byKey.get(any)!.key} (ARRI's key namespace)`,
      priority: PRIORITY.container,
    });
  return facts;
}

export function ffprobeFacts(output: FfprobeOutput): Fact[] {
  const facts: Fact[] = [];
  const add = (field: Fact['field'], value: unknown, source: 'container' | 'stream', detail: string) =>
    facts.push({
      field,
      value,
      source,
      detail,
      priority: source === 'stream' ? PRIORITY.stream : PRIORITY.container,
    });
  const format = output.format ?? {};
  const formatTags = format.tags ?? {};
  const pattern = mxfOperationalPattern(formatTags['operational_pattern_ul']);
  if (pattern) add('file.container', `MXF ${pattern}`, 'container', 'format.tags.operational_pattern_ul');
  else if (format.format_name) {
    add('file.container', format.format_long_name ?? format.format_name, 'container', 'format.format_name');
  }
  if (format.size) add('file.sizeBytes', Number(format.size), 'container', 'format.size');
  // An image demuxer's duration and rate are its defaults (one frame at 25 fps), not the file's.
  const still = isImageDemuxer(format.format_name);
  if (format.duration && !still)
    add('time.durationSeconds', Number(format.duration), 'container', 'format.duration');
  if (formatTags['timecode'])
    add('time.startTimecode', formatTags['timecode'], 'container', 'format.tags.timecode');
  if (formatTags['creation_time'])
    add('identity.recordDate', formatTags['creation_time'], 'container', 'format.tags.creation_time');
  for (const [tag, field] of [
    ['com.apple.quicktime.make', 'camera.make'],
    ['com.apple.quicktime.model', 'camera.model'],
    ['reel_name', 'identity.reel'],
    ['material_package_name', 'identity.clipName'],
    // MXF company_name/product_name name the writing application, not the camera: not mapped.
  ] as const) {
    if (formatTags[tag]) add(field, formatTags[tag], 'container', `format.tags.${tag}`);
  }

  facts.push(...arriQuickTimeFacts(formatTags));

  const streams = output.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.['attached_pic']);
  if (video) {
    const at = `streams[${video.index}]`;
    if (video.width) add('picture.width', video.width, 'stream', `${at}.width`);
    if (video.height) add('picture.height', video.height, 'stream', `${at}.height`);
    if (video.codec_name)
      add(
        'picture.codec',
        CODEC_NAMES[video.codec_name] ?? video.codec_long_name ?? video.codec_name,
        'stream',
        `${at}.codec_name`,
      );
    if (video.profile && video.profile !== 'unknown')
      add('picture.profile', video.profile, 'stream', `${at}.profile`);
    const rate = still ? undefined : streamFrameRate(video);
    if (rate) add('picture.frameRate', rate.rate, 'stream', rate.detail);
    const sar = parseRational(video.sample_aspect_ratio);
    if (sar) add('picture.pixelAspect', sar.num / sar.den, 'stream', `${at}.sample_aspect_ratio`);
    const { chroma, bitDepth } = describePixelFormat(video.pix_fmt);
    const rawDepth = Number(video.bits_per_raw_sample);
    // DV (IEC 61834, SMPTE 314M) is 8-bit by its specification: a fact the format states.
    if (video.codec_name === 'dvvideo')
      add('picture.bitDepth', 8, 'stream', `${at}.codec_name dvvideo: 8-bit by the DV specification`);
    else if (rawDepth) add('picture.bitDepth', rawDepth, 'stream', `${at}.bits_per_raw_sample`);
    else if (bitDepth) add('picture.bitDepth', bitDepth, 'stream', `${at}.pix_fmt`);
    if (chroma) add('picture.chroma', chroma, 'stream', `${at}.pix_fmt`);
    if (video.field_order && video.field_order !== 'unknown') {
      add(
        'picture.scan',
        video.field_order === 'progressive' ? 'progressive' : `interlaced (${video.field_order})`,
        'stream',
        `${at}.field_order`,
      );
    }
    if (video.color_primaries && video.color_primaries !== 'unknown')
      add('color.primaries', video.color_primaries, 'stream', `${at}.color_primaries`);
    if (video.color_space && video.color_space !== 'unknown')
      add('color.matrix', video.color_space, 'stream', `${at}.color_space`);
    if (video.color_range && video.color_range !== 'unknown')
      add('color.range', video.color_range, 'stream', `${at}.color_range`);
    if (video.color_transfer && video.color_transfer !== 'unknown')
      add('color.transfer', video.color_transfer, 'stream', `${at}.color_transfer`);
    if (!still && video.nb_frames && Number(video.nb_frames) > 0)
      add('time.durationFrames', Number(video.nb_frames), 'stream', `${at}.nb_frames`);
    if (video.tags?.['timecode'])
      add('time.startTimecode', video.tags['timecode'], 'stream', `${at}.tags.timecode`);
    // MXF carries the reel (source package name) on the essence track.
    if (video.tags?.['reel_name'])
      add('identity.reel', video.tags['reel_name'], 'stream', `${at}.tags.reel_name`);
  }
  // Timecode tracks (QuickTime tmcd, MXF): the start timecode and the reel.
  for (const data of streams.filter((s) => s.codec_type === 'data' || s.codec_tag_string === 'tmcd')) {
    const at = `streams[${data.index}]`;
    if (data.tags?.['timecode'])
      add('time.startTimecode', data.tags['timecode'], 'stream', `${at}.tags.timecode`);
    if (data.tags?.['reel_name'])
      add('identity.reel', data.tags['reel_name'], 'stream', `${at}.tags.reel_name`);
  }
  const audio = streams.filter((s) => s.codec_type === 'audio');
  if (audio.length > 0) {
    const first = audio[0]!;
    const at = `streams[${first.index}]`;
    const channels = audio.reduce((sum, s) => sum + (s.channels ?? 0), 0);
    if (channels)
      add(
        'audio.channels',
        channels,
        'stream',
        audio.length > 1 ? `${audio.length} audio streams` : `${at}.channels`,
      );
    // 0 is ffprobe's "unknown" (e.g. an AC-3 stream in M2TS it has not decoded): absent.
    if (Number(first.sample_rate) > 0)
      add('audio.sampleRateHz', Number(first.sample_rate), 'stream', `${at}.sample_rate`);
    // DV's demuxer hands out its 12-bit (32 kHz) audio as 16-bit PCM: the decoded format, not the
    // recorded one, so the depth is left to what the DV header states (exiftool).
    const depth = Number(first.bits_per_raw_sample) || first.bits_per_sample;
    if (depth && !/(^|,)dv(,|$)/.test(format.format_name ?? ''))
      add('audio.bitDepth', depth, 'stream', `${at}.bits_per_sample`);
    if (first.codec_name)
      add('audio.codec', first.codec_long_name ?? first.codec_name, 'stream', `${at}.codec_name`);
  }
  return facts;
}
