/**
 * Proxy profiles as data. Each says what editors' tools need to relink and play: codec, wrapper,
 * frame size rule, audio, burn-ins and colour. A production may override size, burn-ins and
 * colour per profile (`resolveProfile`); nothing else, so a proxy always stays relinkable.
 *
 * The profiles themselves (ids, labels, wrappers, codecs) are declared once in
 * @rushes/schema/profiles; this file adds what only the engine needs (sizes, burn-ins, encoder
 * arguments), keyed by those ids, so a profile added there does not compile until it is here.
 */
import {
  PROXY_PROFILE_IDS,
  isProxyProfileId,
  proxyProfile,
  type ProxyProfileFacts,
  type ProxyProfileId,
} from '@rushes/schema/profiles';
import type { Rational } from '@rushes/schema/metadata';
import type { ProfileColorMode } from '@rushes/schema/render-settings';

export { PROXY_PROFILE_IDS, isProxyProfileId, type ProxyProfileId };

export interface BurnIns {
  /** Running source timecode, bottom left. */
  timecode: boolean;
  /** Clip name, top left. */
  clipName: boolean;
  /** Reel (tape) name, top right. */
  reel: boolean;
  /** Frame counter from `frameCounterStart`, bottom right (VFX convention: 1001). */
  frameCounter: boolean;
  frameCounterStart: number;
}

export const NO_BURN_INS: BurnIns = {
  timecode: false,
  clipName: false,
  reel: false,
  frameCounter: false,
  frameCounterStart: 1001,
};

export interface ProxyProfile {
  id: ProxyProfileId;
  /** File name suffix and wrapper (from the registry). */
  extension: ProxyProfileFacts['extension'];
  /** Largest picture width; the source's display aspect is kept (no upscaling). */
  maxWidth: number;
  /** Avid needs an exact raster: the picture is fitted into it, letter- or pillar-boxed. */
  raster?: { width: number; height: number };
  burnIns: BurnIns;
  /** `aces`: the clip's input transform → ACES 1.0 SDR Video Rec.709 (+ look); `none`: as shot. */
  color: ProfileColorMode;
}

export interface ProfileOverrides {
  maxWidth?: number;
  burnIns?: Partial<BurnIns>;
  color?: ProfileColorMode;
}

/** What the engine adds to each registered profile. */
const DEFAULTS: Record<ProxyProfileId, Omit<ProxyProfile, 'id' | 'extension'>> = {
  review: {
    maxWidth: 1920,
    burnIns: { ...NO_BURN_INS, timecode: true, clipName: true },
    color: 'aces',
  },
  avid: {
    maxWidth: 1920,
    raster: { width: 1920, height: 1080 },
    burnIns: NO_BURN_INS,
    color: 'aces',
  },
  premiere: {
    maxWidth: 1920,
    burnIns: NO_BURN_INS,
    color: 'aces',
  },
};

/** Pure: a profile with a production's overrides applied (widths kept even and ≥ 64). */
export function resolveProfile(id: ProxyProfileId, overrides: ProfileOverrides = {}): ProxyProfile {
  const base: ProxyProfile = { id, extension: proxyProfile(id).extension, ...DEFAULTS[id] };
  const maxWidth = overrides.maxWidth ?? base.maxWidth;
  if (!Number.isInteger(maxWidth) || maxWidth < 64 || maxWidth > 8192) {
    throw new RangeError(`maxWidth must be a whole number of pixels from 64 to 8192, got ${maxWidth}`);
  }
  return {
    ...base,
    maxWidth: maxWidth - (maxWidth % 2),
    burnIns: { ...base.burnIns, ...overrides.burnIns },
    color: overrides.color ?? base.color,
  };
}

/** DNxHD bitrates (Mb/s) of the "36" family at 1920×1080 by frame rate; other rates use DNxHR LB. */
const DNXHD_36_FAMILY: { rate: Rational; mbps: number }[] = [
  { rate: { num: 24000, den: 1001 }, mbps: 36 },
  { rate: { num: 24, den: 1 }, mbps: 36 },
  { rate: { num: 25, den: 1 }, mbps: 36 },
  { rate: { num: 30000, den: 1001 }, mbps: 45 },
  { rate: { num: 50, den: 1 }, mbps: 75 },
  { rate: { num: 60000, den: 1001 }, mbps: 90 },
];

/** Pure: the video encoder arguments of a profile at a frame rate. */
export function videoCodecArgs(profile: ProxyProfile, rate: Rational): string[] {
  switch (profile.id) {
    case 'review':
      // veryfast: 2 cores make 1080p in about real time; crf 21 is visually clean for review.
      return [
        '-c:v',
        'libx264',
        '-profile:v',
        'high',
        '-preset',
        'veryfast',
        '-crf',
        '21',
        '-pix_fmt',
        'yuv420p',
        '-g',
        String(Math.max(1, Math.round((rate.num / rate.den) * 2))),
        '-movflags',
        '+faststart',
      ];
    case 'avid': {
      const dnxhd = DNXHD_36_FAMILY.find((f) => f.rate.num * rate.den === rate.num * f.rate.den);
      return dnxhd
        ? ['-c:v', 'dnxhd', '-b:v', `${dnxhd.mbps}M`, '-pix_fmt', 'yuv422p']
        : ['-c:v', 'dnxhd', '-profile:v', 'dnxhr_lb', '-pix_fmt', 'yuv422p'];
    }
    case 'premiere':
      // ffmpeg's `prores` (prores_aw) encoder: ~5× faster than prores_ks at Proxy, same 'apco'.
      return ['-c:v', 'prores', '-profile:v', '0', '-pix_fmt', 'yuv422p10le', '-vendor', 'apl0'];
  }
}

/** Pure: the audio encoder arguments of a profile (`channels` of the source's first stream). */
export function audioCodecArgs(profile: ProxyProfile, channels: number): string[] {
  switch (profile.id) {
    // The encoder is the registry's codec (ffmpeg names both alike), so renditions record it.
    case 'review':
      return ['-c:a', proxyProfile('review').audioCodec, '-b:a', '192k', '-ac', '2', '-ar', '48000'];
    case 'avid':
      // Media Composer takes 24-bit PCM at 48 kHz; stereo or mono as recorded.
      return ['-c:a', proxyProfile('avid').audioCodec, '-ar', '48000', '-ac', String(Math.min(channels, 2))];
    case 'premiere':
      return ['-c:a', proxyProfile('premiere').audioCodec, '-ar', '48000'];
  }
}

/** The pixel format each profile's encoder takes, for the last conversion of the graph. */
export function outputPixelFormat(profile: ProxyProfile): string {
  return PIXEL_FORMATS[profile.id];
}

const PIXEL_FORMATS: Record<ProxyProfileId, string> = {
  review: 'yuv420p',
  avid: 'yuv422p',
  premiere: 'yuv422p10le',
};
