/**
 * The proxy profiles, declared once. Every other list of them is derived from `PROXY_PROFILES`:
 * the job payload and production settings (zod), the api's GraphQL enum and argument checks,
 * the web's choices and labels, the worker's rendition codecs, the engine's encoders (keyed by
 * these ids, so a new profile does not compile until the engine can make it).
 *
 * Only facts the api and the web need live here (no ffmpeg arguments): what the profile is
 * for, its wrapper and the codecs its files carry, as ffprobe names them. No dependencies, so
 * the web's pages can import it; the zod enum is `proxyProfileId` in render-settings.ts.
 */

export interface ProxyProfileFacts {
  id: string;
  /** What a person picks it by, e.g. in the production's settings. */
  label: string;
  /**
   * `review`: the proxy everyone watches, rendered for every clip (a sound-only clip gets its
   * sound alone), with the poster, thumbnail and scrub strip from the same decode.
   * `editorial`: an editor's relinkable proxy, rendered when the production asks for it and
   * only for clips with a picture.
   */
  kind: 'review' | 'editorial';
  /** File name suffix and wrapper. */
  extension: 'mp4' | 'mxf' | 'mov';
  /** The picture's codec as ffprobe names it (recorded on the rendition). */
  videoCodec: string;
  /** The sound's codec as ffprobe names it. */
  audioCodec: string;
}

export const PROXY_PROFILES = [
  {
    id: 'review',
    label: 'Review: H.264 in MP4, with poster, thumbnail and scrub strip',
    kind: 'review',
    extension: 'mp4',
    videoCodec: 'h264',
    audioCodec: 'aac',
  },
  {
    id: 'avid',
    label: 'Avid: DNxHD in MXF OP1a',
    kind: 'editorial',
    extension: 'mxf',
    videoCodec: 'dnxhd',
    audioCodec: 'pcm_s24le',
  },
  {
    id: 'premiere',
    label: 'Premiere / Resolve: ProRes Proxy',
    kind: 'editorial',
    extension: 'mov',
    videoCodec: 'prores',
    audioCodec: 'pcm_s24le',
  },
] as const satisfies readonly ProxyProfileFacts[];

export type ProxyProfileId = (typeof PROXY_PROFILES)[number]['id'];

/** Every profile id, in the registry's order. */
export const PROXY_PROFILE_IDS = PROXY_PROFILES.map((p) => p.id) as [ProxyProfileId, ...ProxyProfileId[]];

/** The profile a clip gets when nobody names one (the review proxy). */
export const DEFAULT_PROXY_PROFILE: ProxyProfileId = 'review';

export function isProxyProfileId(id: string): id is ProxyProfileId {
  return (PROXY_PROFILE_IDS as readonly string[]).includes(id);
}

/** The facts of one profile. */
export function proxyProfile(id: ProxyProfileId): (typeof PROXY_PROFILES)[number] {
  return PROXY_PROFILES.find((p) => p.id === id)!;
}

/** Does the profile need a picture (editors' proxies do; the review proxy can be sound only)? */
export function needsPicture(id: ProxyProfileId): boolean {
  return proxyProfile(id).kind === 'editorial';
}

/** The profiles a production may add beside the review proxy. */
export const EDITORIAL_PROFILES = PROXY_PROFILES.filter((p) => p.kind === 'editorial');

/** Pure: the name of a profile's proxy among a clip's renditions, e.g. `proxy:avid`. */
export function proxyRenditionName(id: ProxyProfileId): `proxy:${ProxyProfileId}` {
  return `proxy:${id}`;
}

/** Pure: the task kind a profile's render records in `tasks`: `review`, `proxy:<profile>`. */
export function renderTaskKind(id: ProxyProfileId): string {
  return proxyProfile(id).kind === 'review' ? id : proxyRenditionName(id);
}

/** Pure: the profile a render task kind is for (`renderTaskKind`'s inverse); undefined: not a render. */
export function profileOfTaskKind(kind: string): ProxyProfileId | undefined {
  return PROXY_PROFILE_IDS.find((id) => renderTaskKind(id) === kind);
}
