/**
 * Camera encodings → the ACES input transform ids the engine's colour pipeline knows.
 * Pure string matching on what cameras and tools write for gamma/transfer and gamut.
 */

import type { InputColorspace } from '@rushes/schema/color';

/** The ids are declared once, with the colour policy (@rushes/schema/color). */
export { INPUT_COLORSPACES as ACES_INPUT_TRANSFORMS } from '@rushes/schema/color';
export type AcesInputTransform = InputColorspace;

const squash = (s: string | undefined) => (s ?? '').toLowerCase().replace(/[\s_.\-()]/g, '');

/** The input transform for a transfer (gamma) and gamut as written; undefined when unknown. */
export function acesInputTransformFor(transfer?: string, gamut?: string): AcesInputTransform | undefined {
  const t = squash(transfer);
  const g = squash(gamut);
  const both = `${t}|${g}`;
  if (/logc4/.test(both) || /awg4|arriwidegamut4/.test(g)) return 'arri_logc4_awg4';
  if (/logc/.test(t) || /awg3|arriwidegamut3|^awg$|arriwidegamut$/.test(g)) return 'arri_logc3_awg3';
  if (/slog3/.test(t) || /sgamut3/.test(g)) {
    const venice = /venice/.test(both);
    const cine = /sgamut3cine/.test(g) || /cine/.test(t);
    if (venice) return cine ? 'sony_slog3_venice_sgamut3cine' : 'sony_slog3_venice_sgamut3';
    return cine ? 'sony_slog3_sgamut3cine' : 'sony_slog3_sgamut3';
  }
  if (/log3g10/.test(t) || /redwidegamut|rwg/.test(g)) return 'red_log3g10_rwg';
  if (/canonlog3|clog3/.test(t)) return 'canon_clog3_cgamut';
  if (/canonlog2|clog2/.test(t)) return 'canon_clog2_cgamut';
  if (/vlog/.test(t) || /vgamut/.test(g)) return 'panasonic_vlog_vgamut';
  if (/blackmagicdesignfilmgen5|bmdfilmgen5|filmgen5/.test(both)) return 'bmd_film_gen5';
  if (/^(bt709|rec709|itur709|bt1886|709)/.test(t) || (!t && /^(bt709|rec709)/.test(g))) return 'rec709';
  return undefined;
}
