/**
 * Every listing the api offers over a seeded production (./seed.ts): each sort both ways and
 * each filter with a value that matches. The scale bench times them through HTTP; the scale
 * test (packages/data/test/scale.heavy.test.ts) checks that none reads the clips table row by row.
 */
import { CLIP_SORT_FIELDS, type ClipFilterValues, type ClipOrderBy } from '@rushes/data/clip-filter';
import type { PlanNode } from '@rushes/data/clips';
import type { ScaleSeed } from './seed.ts';

/** A listing the api offers: a filter (as @rushes/data takes it) and a sort. */
export interface Case {
  name: string;
  filter?: ClipFilterValues;
  /** Database ids of rolls to filter on (the api takes their global ids). */
  rolls?: string[];
  order?: ClipOrderBy;
}

/** The default sort first, then every sort both ways, then every filter. */
export function scaleCases(seed: ScaleSeed): Case[] {
  const s = seed.samples;
  return [
    { name: 'default sort (name)' },
    ...CLIP_SORT_FIELDS.flatMap((field) =>
      (['ASC', 'DESC'] as const).map((direction) => ({
        name: `sort ${field} ${direction}`,
        order: { field, direction },
      })),
    ),
    { name: `reel ${s.reel}`, filter: { reel: s.reel } },
    { name: `reel ${s.reel} + timecode ${s.timecode}`, filter: { reel: s.reel, timecode: s.timecode } },
    { name: `timecode ${s.timecode}`, filter: { timecode: s.timecode } },
    {
      name: `timecode ${s.timecodeFrom}–${s.timecodeTo}`,
      filter: { timecodeFrom: s.timecodeFrom, timecodeTo: s.timecodeTo },
    },
    { name: `camera model ${s.cameraModel}`, filter: { cameraModel: s.cameraModel } },
    { name: `camera make ${s.cameraMake}`, filter: { cameraMake: s.cameraMake } },
    { name: `camera serial ${s.cameraSerial}`, filter: { cameraSerial: s.cameraSerial } },
    { name: `lens ~ ${s.lens}`, filter: { lens: s.lens } },
    { name: `codec ${s.codec}`, filter: { codec: s.codec } },
    { name: `frame rate ${s.frameRate}`, filter: { frameRate: s.frameRate } },
    { name: `colour space ${s.colorSpace}`, filter: { colorSpace: s.colorSpace } },
    { name: `states ${s.states.join('+')}`, filter: { states: s.states } },
    { name: 'recorded over one week', filter: { recordedFrom: s.recordedFrom, recordedTo: s.recordedTo } },
    { name: `${s.width}×${s.height}`, filter: { width: s.width, height: s.height } },
    { name: `text ${s.text}`, filter: { text: s.text } },
    { name: 'two rolls', rolls: [s.rollId, seed.rollIds[0]!] },
    {
      name: `camera model ${s.cameraModel}, by recorded date, newest first`,
      filter: { cameraModel: s.cameraModel },
      order: { field: 'RECORDED_AT', direction: 'DESC' },
    },
  ];
}

/** `Limit > Index Scan clips_production_file_name_keyset_idx`: node types, index or table, child by child. */
export function planShape(node: PlanNode): string {
  const on = node['Index Name'] ?? node['Relation Name'];
  const type = node['Scan Direction'] === 'Backward' ? `${node['Node Type']} Backward` : node['Node Type'];
  const self = on ? `${type} ${on}` : type;
  const children = node.Plans ?? [];
  if (children.length === 0) return self;
  if (children.length === 1) return `${self} > ${planShape(children[0]!)}`;
  return `${self} > (${children.map(planShape).join(', ')})`;
}

/** The nodes of a plan that read a table row by row: a sequential scan of `table`. */
export function sequentialScans(node: PlanNode, table = 'clips'): PlanNode[] {
  const own = node['Node Type'] === 'Seq Scan' && node['Relation Name'] === table ? [node] : [];
  return [...own, ...(node.Plans ?? []).flatMap((child) => sequentialScans(child, table))];
}
