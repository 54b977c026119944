/**
 * The colour policy, decided in one place: which input colour space (ACES input transform) a
 * clip's picture is taken to be in, which look (ASC CDL) it gets, and where each came from. The
 * worker's renders, the api's fields and exports, and the engine's command line all ask
 * `decideColor`; none of them decides on its own.
 */
import { z } from 'zod';

/**
 * The input colour spaces renders know, as ACES input transform ids (the probe derives them,
 * the engine has a baked LUT to ACEScct for each; `rec709` is passed through untouched).
 */
export const INPUT_COLORSPACES = [
  'arri_logc3_awg3',
  'arri_logc4_awg4',
  'sony_slog3_sgamut3',
  'sony_slog3_sgamut3cine',
  'sony_slog3_venice_sgamut3',
  'sony_slog3_venice_sgamut3cine',
  'red_log3g10_rwg',
  'canon_clog2_cgamut',
  'canon_clog3_cgamut',
  'panasonic_vlog_vgamut',
  'bmd_film_gen5',
  'rec709',
] as const;
export type InputColorspace = (typeof INPUT_COLORSPACES)[number];

export const inputColorspace = z.enum(INPUT_COLORSPACES);

export function isInputColorspace(id: string): id is InputColorspace {
  return (INPUT_COLORSPACES as readonly string[]).includes(id);
}

const triple = z.tuple([z.number(), z.number(), z.number()]);

/** An ASC CDL, applied in ACEScct before the output transform. */
export const cdlLook = z.object({
  slope: triple,
  offset: triple,
  power: triple,
  saturation: z.number().min(0),
});
export type Look = z.infer<typeof cdlLook>;

/** What a production (its default), a roll or a clip may say about colour. */
export interface ColorSettings {
  inputColorspace?: InputColorspace;
  look?: Look;
}

/** Where the input colour space came from, most specific first. */
export const COLOR_SOURCES = ['clip', 'roll', 'camera-metadata', 'production-default', 'unknown'] as const;
export type ColorSource = (typeof COLOR_SOURCES)[number];

/** Where the look came from. */
export const LOOK_SOURCES = ['clip', 'roll', 'production'] as const;
export type LookSource = (typeof LOOK_SOURCES)[number];

export interface ColorInputs {
  /** The probe's colour facts (normalized metadata `color`); its `acesInputTransform` counts. */
  camera?: { acesInputTransform?: { value: string } } | undefined;
  /** The production's colour pipeline: its default input colour space and its look. */
  production?: ColorSettings | undefined;
  roll?: ColorSettings | undefined;
  clip?: ColorSettings | undefined;
}

export interface ColorDecision {
  /** The clip's input colour space; null when nothing names it. */
  input: InputColorspace | null;
  inputSource: ColorSource;
  look: Look | null;
  lookSource: LookSource | null;
  /**
   * What a coloured render applies: the input transform and the look; null renders the picture
   * as shot. Unknown input colour space with a look: the picture is taken as Rec.709 video
   * (no input transform, as the engine does for `rec709`) and the look is applied to it.
   */
  chain: { input: InputColorspace; look?: Look } | null;
}

/**
 * Pure: the colour decision for a clip.
 *
 * Input colour space, first that says one: the clip's override, the roll's override, the
 * camera's metadata (an id renders do not know counts as silent), the production's default.
 * Overrides beat the metadata because files are often mis-tagged (log recorded in a file flagged
 * BT.709); the production default only fills in where the metadata says nothing.
 *
 * Look, first that has one: the clip's, the roll's, the production's. It never depends on the
 * input colour space: a production that set a look expects it on every proxy, and the ALE the
 * api exports carries it for every clip. (The worker used to drop it when the input colour space
 * was unknown, so the proxy silently disagreed with the ALE; the engine's command line already
 * applied it to the picture as Rec.709 video, which is what `chain` does now for everyone.)
 */
export function decideColor(inputs: ColorInputs): ColorDecision {
  const camera = inputs.camera?.acesInputTransform?.value;
  const candidates: [ColorSource, string | undefined][] = [
    ['clip', inputs.clip?.inputColorspace],
    ['roll', inputs.roll?.inputColorspace],
    ['camera-metadata', camera],
    ['production-default', inputs.production?.inputColorspace],
  ];
  const found = candidates.find(
    (c): c is [ColorSource, InputColorspace] => c[1] !== undefined && isInputColorspace(c[1]),
  );
  const looks: [LookSource, Look | undefined][] = [
    ['clip', inputs.clip?.look],
    ['roll', inputs.roll?.look],
    ['production', inputs.production?.look],
  ];
  const look = looks.find((l): l is [LookSource, Look] => l[1] !== undefined);
  const input = found?.[1] ?? null;
  const chainInput = input ?? (look ? 'rec709' : null);
  return {
    input,
    inputSource: found?.[0] ?? 'unknown',
    look: look?.[1] ?? null,
    lookSource: look?.[0] ?? null,
    chain: chainInput ? { input: chainInput, ...(look ? { look: look[1] } : {}) } : null,
  };
}
