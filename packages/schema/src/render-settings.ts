/**
 * A production's render settings as stored in `productions.proxy_profiles` and
 * `productions.color_pipeline`: which editors' proxies it wants beside the review proxy, its
 * per-profile overrides (size, burn-ins, colour), and its look. Parsed, never trusted.
 */
import { z } from 'zod';

const triple = z.tuple([z.number(), z.number(), z.number()]);

export const proxyProfileSettings = z.object({
  id: z.enum(['review', 'avid', 'premiere']),
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
  color: z.enum(['aces', 'none']).optional(),
});
export type ProxyProfileSettings = z.infer<typeof proxyProfileSettings>;

export const colorPipelineSettings = z.object({
  /** An ASC CDL applied in ACEScct before the output transform. */
  look: z.object({ slope: triple, offset: triple, power: triple, saturation: z.number().min(0) }).optional(),
});
export type ColorPipelineSettings = z.infer<typeof colorPipelineSettings>;

/** The production's profiles (unknown entries are an error, not skipped). */
export const parseProxyProfiles = (value: unknown) => z.array(proxyProfileSettings).parse(value ?? []);
export const parseColorPipeline = (value: unknown) => colorPipelineSettings.parse(value ?? {});
