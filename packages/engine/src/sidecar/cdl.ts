/**
 * ASC CDL files (.cdl ColorDecisionList, .ccc ColorCorrectionCollection, .cc ColorCorrection),
 * recognized by their content — files are often saved under the wrong extension — with every
 * element-name variant seen in the wild (SOPNode / ASC_SOP, SatNode / SATNode / ASC_SAT) and the
 * number forms the spec's examples use (`-.03`, `1e0`).
 */
import { ManifestError, attribute, decodeXml, list, parseXml, text, type XmlNode } from '../manifest/xml.ts';

export type Triple = [number, number, number];

export interface ColorCorrection {
  /** Empty string or undefined when the file gives none. */
  id?: string;
  slope: Triple;
  offset: Triple;
  power: Triple;
  saturation: number;
  descriptions: string[];
  /** ColorDecisionList: the media the decision applies to. */
  mediaRef?: string;
}

export interface CdlDocument {
  kind: 'ColorDecisionList' | 'ColorCorrectionCollection' | 'ColorCorrection';
  descriptions: string[];
  corrections: ColorCorrection[];
}

const SOP_NAMES = ['SOPNode', 'ASC_SOP', 'SopNode'];
const SAT_NAMES = ['SatNode', 'SATNode', 'ASC_SAT', 'SaturationNode'];

function numbers(value: string | undefined, count: number, what: string): number[] {
  const parts = (value ?? '')
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  const parsed = parts.map(Number);
  if (parts.length !== count || parsed.some((n) => !Number.isFinite(n))) {
    throw new ManifestError(
      `<${what}> must hold ${count} number${count > 1 ? 's' : ''}, got "${value ?? ''}"`,
    );
  }
  return parsed;
}

function child(node: XmlNode, names: readonly string[]): XmlNode | undefined {
  for (const name of names) {
    const found = list(node[name])[0];
    if (found !== undefined) return typeof found === 'object' ? found : {};
  }
  return undefined;
}

const descriptionsOf = (node: XmlNode) =>
  list(node['Description'])
    .map((d) => text(d) ?? '')
    .filter(Boolean);

/** Pure: one ColorCorrection element; SOP and saturation default to identity when absent. */
export function readCorrection(node: XmlNode, mediaRef?: string): ColorCorrection {
  const sop = child(node, SOP_NAMES);
  const sat = child(node, SAT_NAMES);
  const triple = (name: string, fallback: number) =>
    sop && sop[name] !== undefined
      ? (numbers(text(sop[name]), 3, name) as Triple)
      : ([fallback, fallback, fallback] as Triple);
  const correction: ColorCorrection = {
    slope: triple('Slope', 1),
    offset: triple('Offset', 0),
    power: triple('Power', 1),
    saturation:
      sat && sat['Saturation'] !== undefined ? numbers(text(sat['Saturation']), 1, 'Saturation')[0]! : 1,
    descriptions: [
      ...descriptionsOf(node),
      ...(sop ? descriptionsOf(sop) : []),
      ...(sat ? descriptionsOf(sat) : []),
    ],
  };
  const id = attribute(node, 'id');
  if (id !== undefined) correction.id = id;
  if (mediaRef) correction.mediaRef = mediaRef;
  if (correction.slope.some((v) => v < 0))
    throw new ManifestError(`slope must not be negative (${correction.slope.join(' ')})`);
  if (correction.power.some((v) => v <= 0))
    throw new ManifestError(`power must be positive (${correction.power.join(' ')})`);
  if (correction.saturation < 0)
    throw new ManifestError(`saturation must not be negative (${correction.saturation})`);
  return correction;
}

export function parseCdl(bytes: Uint8Array): CdlDocument {
  const document = parseXml(decodeXml(bytes));
  const list_ = document['ColorDecisionList'] as XmlNode | undefined;
  if (list_ !== undefined) {
    const decisions = list(list_['ColorDecision']);
    return {
      kind: 'ColorDecisionList',
      descriptions: descriptionsOf(list_),
      corrections: decisions.flatMap((d) =>
        list(d['ColorCorrection']).map((cc) => readCorrection(cc, attribute(list(d['MediaRef'])[0], 'ref'))),
      ),
    };
  }
  const collection = document['ColorCorrectionCollection'] as XmlNode | undefined;
  if (collection !== undefined) {
    return {
      kind: 'ColorCorrectionCollection',
      descriptions: descriptionsOf(collection),
      corrections: list(collection['ColorCorrection']).map((cc) => readCorrection(cc)),
    };
  }
  const single = document['ColorCorrection'] as XmlNode | undefined;
  if (single !== undefined)
    return { kind: 'ColorCorrection', descriptions: [], corrections: [readCorrection(single)] };
  throw new ManifestError(
    'not an ASC CDL file: no ColorDecisionList, ColorCorrectionCollection or ColorCorrection',
  );
}

/**
 * ASC_SOP as ALEs and EDL comments write it: `(s s s)(o o o)(p p p)`, spaces optional between
 * the groups. Returns undefined for anything else.
 */
export function parseAscSop(value: string): Pick<ColorCorrection, 'slope' | 'offset' | 'power'> | undefined {
  const groups = [...value.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]!.trim().split(/\s+/).map(Number));
  if (
    groups.length < 3 ||
    groups.slice(0, 3).some((g) => g.length !== 3 || g.some((n) => !Number.isFinite(n)))
  )
    return undefined;
  return { slope: groups[0] as Triple, offset: groups[1] as Triple, power: groups[2] as Triple };
}
