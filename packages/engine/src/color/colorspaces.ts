/**
 * The input colour spaces the engine can render from, as data: each camera encoding's
 * id (the same ids the probe derives, see probe/color-ids.ts), its name, and the baked LUT that
 * takes it to ACEScct. `rec709` is passed through untouched.
 */
import { isInputColorspace } from '@rushes/schema/color';
import { ACES_INPUT_TRANSFORMS, type AcesInputTransform } from '../probe/color-ids.ts';

export interface Colorspace {
  id: AcesInputTransform;
  name: string;
  /** Baked LUT (packages/engine/color/luts/<lut>.lut.gz) to ACEScct; none for pass-through. */
  lut?: string;
}

const NAMES: Record<AcesInputTransform, string> = {
  arri_logc3_awg3: 'ARRI LogC3 (EI800), ARRI Wide Gamut 3',
  arri_logc4_awg4: 'ARRI LogC4, ARRI Wide Gamut 4',
  sony_slog3_sgamut3: 'Sony S-Log3, S-Gamut3',
  sony_slog3_sgamut3cine: 'Sony S-Log3, S-Gamut3.Cine',
  sony_slog3_venice_sgamut3: 'Sony Venice S-Log3, S-Gamut3',
  sony_slog3_venice_sgamut3cine: 'Sony Venice S-Log3, S-Gamut3.Cine',
  red_log3g10_rwg: 'RED Log3G10, REDWideGamutRGB',
  canon_clog2_cgamut: 'Canon Log 2, Cinema Gamut',
  canon_clog3_cgamut: 'Canon Log 3, Cinema Gamut',
  panasonic_vlog_vgamut: 'Panasonic V-Log, V-Gamut',
  bmd_film_gen5: 'Blackmagic Film Gen 5, Wide Gamut Gen 5',
  rec709: 'Rec.709 video (pass-through)',
};

export const COLORSPACES: readonly Colorspace[] = ACES_INPUT_TRANSFORMS.map((id) =>
  id === 'rec709' ? { id, name: NAMES[id] } : { id, name: NAMES[id], lut: id },
);

/** The LUT from ACEScct to ACES 1.0 SDR Video on a Rec.709 (BT.1886) display. */
export const OUTPUT_LUT = 'acescct_to_rec709';

/** The name of the display/view every proxy is rendered for. */
export const OUTPUT_TRANSFORM = 'ACES 1.0 SDR Video, Rec.709';

/** Is `id` an input colour space renders know (the policy's own check)? */
export const isColorspaceId: (id: string) => id is AcesInputTransform = isInputColorspace;
