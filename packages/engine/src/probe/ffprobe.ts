/**
 * ffprobe at the boundary: the command as data, its JSON as a minimal typed shape, and the facts
 * it states. Nothing downstream sees ffprobe's output.
 */
import type { Command } from '../process/run.ts';
import { PRIORITY, type Fact } from './facts.ts';

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
  if (format.duration) add('time.durationSeconds', Number(format.duration), 'container', 'format.duration');
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
    const rate = parseRational(video.r_frame_rate) ?? parseRational(video.avg_frame_rate);
    if (rate && rate.num / rate.den < 1000) add('picture.frameRate', rate, 'stream', `${at}.r_frame_rate`);
    const sar = parseRational(video.sample_aspect_ratio);
    if (sar) add('picture.pixelAspect', sar.num / sar.den, 'stream', `${at}.sample_aspect_ratio`);
    const { chroma, bitDepth } = describePixelFormat(video.pix_fmt);
    const rawDepth = Number(video.bits_per_raw_sample);
    if (rawDepth) add('picture.bitDepth', rawDepth, 'stream', `${at}.bits_per_raw_sample`);
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
    if (video.nb_frames && Number(video.nb_frames) > 0)
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
    if (first.sample_rate)
      add('audio.sampleRateHz', Number(first.sample_rate), 'stream', `${at}.sample_rate`);
    const depth = Number(first.bits_per_raw_sample) || first.bits_per_sample;
    if (depth) add('audio.bitDepth', depth, 'stream', `${at}.bits_per_sample`);
    if (first.codec_name)
      add('audio.codec', first.codec_long_name ?? first.codec_name, 'stream', `${at}.codec_name`);
  }
  return facts;
}
