/**
 * A production's render settings as stored in `productions.proxy_profiles` and
 * `productions.color_pipeline`: which editors' proxies it wants beside the review proxy, its
 * per-profile overrides (size, burn-ins, colour), its look and its default input colour space.
 * Parsed, never trusted. Profile ids come from the registry (profiles.ts), colour ids and the
 * look's shape from the colour policy (color.ts).
 */
import { z } from 'zod';
import { cdlLook, inputColorspace } from './color.ts';
import { PROXY_PROFILE_IDS } from './profiles.ts';

/** A proxy profile id (the registry's), for zod schemas: job payloads, settings. */
export const proxyProfileId = z.enum(PROXY_PROFILE_IDS);

/** `aces`: the clip's input transform → ACES 1.0 SDR Video Rec.709 (+ look); `none`: as shot. */
export const PROFILE_COLOR_MODES = ['aces', 'none'] as const;
export type ProfileColorMode = (typeof PROFILE_COLOR_MODES)[number];

export const proxyProfileSettings = z.object({
  id: proxyProfileId,
  maxWidth: z.number().int().min(64).max(8192).optional(),
  burnIns: z
    .object({
      timecode: z.boolean(),
      clipName: z.boolean(),
      reel: z.boolean(),
      frameCounter: z.boolean(),
      frameCounterStart: z.number().int().min(0),
    })
    .partial()
    .optional(),
  color: z.enum(PROFILE_COLOR_MODES).optional(),
});
export type ProxyProfileSettings = z.infer<typeof proxyProfileSettings>;

export const colorPipelineSettings = z.object({
  /** An ASC CDL applied in ACEScct before the output transform. */
  look: cdlLook.optional(),
  /** The input colour space of clips whose camera metadata names none (see decideColor). */
  inputColorspace: inputColorspace.optional(),
});
export type ColorPipelineSettings = z.infer<typeof colorPipelineSettings>;

/** The production's profiles (unknown entries are an error, not skipped). */
export const parseProxyProfiles = (value: unknown) => z.array(proxyProfileSettings).parse(value ?? []);
export const parseColorPipeline = (value: unknown) => colorPipelineSettings.parse(value ?? {});
