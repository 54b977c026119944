/**
 * Normalization as data: every reader (ffprobe, exiftool, bext/iXML, file name…) states facts
 * — a field, a value, where it came from, how much to trust it — and one pure merge turns them
 * into the NormalizedClipMetadata document, keeping disagreements as conflicts.
 */
import type { MetadataSource, NormalizedClipMetadata, Sourced } from '@rushes/schema/metadata';

type Groups = NormalizedClipMetadata;
export type FieldPath = { [G in keyof Groups]: `${G}.${keyof Groups[G] & string}` }[keyof Groups];

export interface Fact {
  field: FieldPath;
  value: unknown;
  source: MetadataSource;
  /** The tag or key it came from, e.g. `Sony:SerialNumber`, `streams[0].tags.timecode`. */
  detail?: string;
  /** Higher wins. Conventions: stream 60, container 50, bext/ixml 55, exiftool 40, filename 10. */
  priority: number;
}

export const PRIORITY = {
  stream: 60,
  bext: 55,
  ixml: 55,
  container: 50,
  exiftool: 40,
  sequence: 45,
  sidecar: 30,
  filename: 10,
} as const;

export function emptyMetadata(): NormalizedClipMetadata {
  return {
    identity: {},
    camera: {},
    lens: {},
    exposure: {},
    picture: {},
    color: {},
    time: {},
    audio: {},
    file: {},
  };
}

/** Same value for the purpose of conflicts: numbers within 0.5 %, strings ignoring case and spacing. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= 0.005 * Math.max(Math.abs(a), Math.abs(b));
  }
  if (typeof a === 'string' && typeof b === 'string') {
    const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
    return norm(a) === norm(b);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

function usable(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (typeof value === 'number') return Number.isFinite(value);
  return true;
}

/** Pure: the document from the facts. Within a priority, the first fact stated wins. */
export function mergeFacts(facts: readonly Fact[]): NormalizedClipMetadata {
  const byField = new Map<FieldPath, Fact[]>();
  for (const fact of facts) {
    if (!usable(fact.value)) continue;
    const list = byField.get(fact.field) ?? [];
    list.push(fact);
    byField.set(fact.field, list);
  }
  const document = emptyMetadata() as unknown as Record<string, Record<string, Sourced<unknown>>>;
  for (const [field, list] of byField) {
    const ranked = [...list].sort((a, b) => b.priority - a.priority);
    const best = ranked[0]!;
    const conflicts: Sourced<unknown>['conflicts'] = [];
    for (const other of ranked.slice(1)) {
      const seen = [best, ...conflicts].some((c) => sameValue(c.value, other.value));
      if (!seen)
        conflicts.push({
          value: other.value,
          source: other.source,
          ...(other.detail ? { detail: other.detail } : {}),
        });
    }
    const [group, name] = field.split('.') as [string, string];
    document[group]![name] = {
      value: typeof best.value === 'string' ? best.value.trim() : best.value,
      source: best.source,
      ...(best.detail ? { detail: best.detail } : {}),
      ...(conflicts.length ? { conflicts } : {}),
    };
  }
  return document as unknown as NormalizedClipMetadata;
}
