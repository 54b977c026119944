/**
 * What kind of card a folder is, from its file names alone (pure): the camera vendors' folder
 * structures, whether it carries its own manifests, sound or picture, the camera unit, and the
 * files a camera splits one clip into (RED spans `_001.R3D`, `_002.R3D`; P2 and other OP-Atom
 * cards one MXF per track). The importer reports it and takes the roll's kind and unit from it.
 */
import { parseClipName } from '../probe/clip-name.ts';

export interface CardLayout {
  /** e.g. `Sony XAVC (PRIVATE/M4ROOT)`, `Panasonic P2`, `ARRI`, `generic`. */
  layout: string;
  kind: 'camera' | 'sound';
  /** The camera letter the clip names share (A001C003… → A), when they agree. */
  cameraUnit?: string;
  manifests: 'ascmhl' | 'mhl' | 'none';
  /** Clips stored as several files: the clip's name and its files, in order. */
  multiFileClips: { clip: string; files: string[] }[];
}

interface Rule {
  layout: string;
  test: (paths: readonly string[]) => boolean;
}

const some = (pattern: RegExp) => (paths: readonly string[]) => paths.some((p) => pattern.test(p));

/** Checked in order: the first whose folder structure is present names the card. */
const RULES: readonly Rule[] = [
  { layout: 'Sony XDCAM/XAVC (XDROOT)', test: some(/(^|\/)XDROOT\/Clip\/[^/]+\.mxf$/i) },
  { layout: 'Sony XAVC (PRIVATE/M4ROOT)', test: some(/(^|\/)PRIVATE\/M4ROOT\/CLIP\/[^/]+\.mp4$/i) },
  { layout: 'Panasonic P2', test: some(/(^|\/)CONTENTS\/VIDEO\/[^/]+\.mxf$/i) },
  {
    layout: 'Canon Cinema EOS (CONTENTS/CLIPS)',
    test: some(/(^|\/)CONTENTS\/CLIPS\d{3}\/[^/]+\.(mxf|crm|mp4)$/i),
  },
  { layout: 'Canon / DCIM', test: some(/(^|\/)DCIM\/[^/]+\/[^/]+\.(mp4|mov|crm|cr3)$/i) },
  { layout: 'RED (RDM/RDC)', test: some(/\.RDC\/[^/]+\.r3d$/i) },
  { layout: 'Blackmagic RAW', test: some(/\.braw$/i) },
  { layout: 'ARRIRAW', test: some(/\.(ari|arx)$/i) },
  {
    layout: 'ARRI',
    test: (paths) => paths.some((p) => /\.(mxf|mov)$/i.test(p) && parseClipName(p)?.vendorStyle === 'arri'),
  },
];

const SOUND = /\.(wav|bwf|aif|aiff|w64|rf64)$/i;
const PICTURE =
  /\.(mov|mp4|m4v|mxf|mts|m2ts|avi|mkv|r3d|braw|ari|arx|crm|cr3|nev|dng|dpx|exr|tif|tiff|cin)$/i;

/** Pure: the layout of a card given its files' card-relative paths (`/` separated). */
export function detectCardLayout(paths: readonly string[]): CardLayout {
  const manifests = paths.some((p) => /(^|\/)ascmhl\/[^/]+\.mhl$/i.test(p))
    ? 'ascmhl'
    : paths.some((p) => /\.mhl$/i.test(p))
      ? 'mhl'
      : 'none';
  const media = paths.filter((p) => PICTURE.test(p) || SOUND.test(p));
  const kind = media.length > 0 && media.every((p) => SOUND.test(p)) ? 'sound' : 'camera';
  const layout =
    kind === 'sound' ? 'sound recorder' : (RULES.find((r) => r.test(paths))?.layout ?? 'generic');
  const units = new Set(media.map((p) => parseClipName(p)?.cameraUnit?.toUpperCase()).filter(Boolean));
  return {
    layout,
    kind,
    ...(units.size === 1 ? { cameraUnit: [...units][0]! } : {}),
    manifests,
    multiFileClips: multiFileClips(media, layout),
  };
}

function multiFileClips(media: readonly string[], layout: string): CardLayout['multiFileClips'] {
  const groups = new Map<string, string[]>();
  const add = (clip: string, file: string) => groups.set(clip, [...(groups.get(clip) ?? []), file]);
  for (const file of media) {
    const span = /^(.*\/)?([^/]+)_(\d{3})\.r3d$/i.exec(file);
    if (span) add(`${span[1] ?? ''}${span[2]}`, file);
    // P2: CONTENTS/VIDEO/0001AB.MXF with CONTENTS/AUDIO/0001AB00.MXF, 0001AB01.MXF …
    const p2 = /^(.*\/)?CONTENTS\/(VIDEO|AUDIO)\/([0-9A-Z]{6})(\d{2})?\.mxf$/i.exec(file);
    if (layout === 'Panasonic P2' && p2) add(`${p2[1] ?? ''}CONTENTS/${p2[3]!.toUpperCase()}`, file);
  }
  return [...groups]
    .filter(([, files]) => files.length > 1)
    .map(([clip, files]) => ({ clip, files: [...files].sort() }));
}
