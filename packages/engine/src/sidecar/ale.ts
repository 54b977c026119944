/**
 * Avid Log Exchange: a Heading (key TAB value), a Column line naming the fields, and Data rows,
 * tab-separated. Read tolerantly (CRLF or LF, short or long rows, blank first columns) and
 * written the way Media Composer imports it.
 */
import { ManifestError } from '../manifest/xml.ts';
import { parseAscSop, type ColorCorrection } from './cdl.ts';

export interface Ale {
  heading: Record<string, string>;
  columns: string[];
  rows: Record<string, string>[];
}

export function parseAle(text: string): Ale {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  const heading: Record<string, string> = {};
  let columns: string[] | undefined;
  const rows: Record<string, string>[] = [];
  type Section = 'none' | 'heading' | 'column' | 'data';
  let section = 'none' as Section;
  for (let line of lines) {
    const keyword = line.trim();
    if (keyword === 'Heading' || keyword === 'Column' || keyword === 'Data') {
      section = keyword.toLowerCase() as Section;
      continue;
    }
    // A section keyword with its content on the same line: `Heading<TAB>FIELD_DELIM<TAB>TABS…`
    // (the whole heading on one line) or `Column<TAB>Name<TAB>Start…`.
    const inline = /^(Heading|Column|Data)\t(.*)$/.exec(line.replace(/^\s+/, ''));
    if (inline) {
      section = inline[1]!.toLowerCase() as Section;
      line = inline[2]!;
      if (section === 'heading') {
        const cells = line.split('\t').map((c) => c.trim());
        if (cells.length % 2 !== 0 && cells.at(-1) !== '')
          throw new ManifestError(`ALE: one-line Heading must hold KEY<TAB>VALUE pairs, got "${line}"`);
        for (let i = 0; i + 1 < cells.length; i += 2) if (cells[i]) heading[cells[i]!] = cells[i + 1]!;
        continue;
      }
      if (line.trim() === '') continue;
    }
    if (keyword === '') continue;
    if (section === 'heading') {
      const [key, ...value] = line.split('\t');
      heading[key!.trim()] = value.join('\t').trim();
    } else if (section === 'column') {
      columns = line.split('\t').map((c) => c.trim());
      // Some writers end the line with a tab.
      while (columns.length > 0 && columns.at(-1) === '') columns.pop();
    } else if (section === 'data') {
      if (!columns) throw new ManifestError('ALE: Data comes before its Column line');
      const cells = line.split('\t');
      rows.push(Object.fromEntries(columns.map((name, i) => [name, (cells[i] ?? '').trim()])));
    }
  }
  if (!columns) throw new ManifestError('not an ALE file: no Column section');
  if (heading['FIELD_DELIM'] && heading['FIELD_DELIM'].toUpperCase() !== 'TABS') {
    throw new ManifestError(
      `ALE: unsupported FIELD_DELIM "${heading['FIELD_DELIM']}" (only TABS exists in practice)`,
    );
  }
  return { heading, columns, rows };
}

/** Cells cannot hold tabs or line breaks: they become spaces. */
const cell = (value: string) => value.replace(/[\t\r\n]+/g, ' ');

export function writeAle(ale: Ale): string {
  const heading = { FIELD_DELIM: 'TABS', ...ale.heading };
  return [
    'Heading',
    ...Object.entries(heading).map(([k, v]) => `${k}\t${cell(v)}`),
    '',
    'Column',
    ale.columns.map(cell).join('\t'),
    '',
    'Data',
    ...ale.rows.map((row) => ale.columns.map((c) => cell(row[c] ?? '')).join('\t')),
    '',
  ].join('\n');
}

/**
 * Avid's column names for the fields a clip record needs, as Media Composer writes them (matched
 * without regard to case). Every other column is kept, by its own name, in `AleClip.columns`.
 */
export const ALE_COLUMNS = {
  name: 'Name',
  tape: 'Tape',
  sourceFile: 'Source File',
  start: 'Start',
  end: 'End',
  duration: 'Duration',
  tracks: 'Tracks',
  scene: 'Scene',
  take: 'Take',
  camroll: 'Camroll',
  soundroll: 'Soundroll',
  camera: 'Camera',
  reel: 'Reel',
  shootDate: 'Shoot Date',
  fps: 'FPS',
  soundTc: 'Sound TC',
  auxTc1: 'Auxiliary TC1',
  labRoll: 'Labroll',
  comments: 'Comments',
  ascSop: 'ASC_SOP',
  ascSat: 'ASC_SAT',
} as const;

export type AleField = keyof typeof ALE_COLUMNS;

export interface AleClip {
  /** The known fields that have a non-empty cell. */
  fields: Partial<Record<AleField, string>>;
  /** ASC_SOP (+ ASC_SAT) of the row, or the combined `CDL` column `(s)(o)(p)(sat)`. */
  cdl?: ColorCorrection;
  /** Every non-empty cell, by its column name as written. */
  columns: Record<string, string>;
}

export interface AleDocument extends Ale {
  format: 'ALE';
  clips: AleClip[];
}

function cdlOf(cell: (column: string) => string | undefined, rowNumber: number) {
  const sop = cell('ASC_SOP');
  const combined = cell('CDL');
  const source = sop ?? combined;
  if (source === undefined) return undefined;
  const parsed = parseAscSop(source);
  if (!parsed)
    throw new ManifestError(`ALE row ${rowNumber}: ASC_SOP "${source}" is not (slope)(offset)(power)`);
  let saturation: number | undefined;
  const sat = cell('ASC_SAT');
  if (sat !== undefined) saturation = Number(sat.replace(/^\((.*)\)$/, '$1'));
  else if (sop === undefined && combined !== undefined) {
    // The fourth group of the combined column is the saturation.
    const fourth = [...combined.matchAll(/\(([^)]*)\)/g)][3]?.[1];
    if (fourth !== undefined) saturation = Number(fourth.trim());
  }
  if (saturation !== undefined && !(Number.isFinite(saturation) && saturation >= 0))
    throw new ManifestError(`ALE row ${rowNumber}: ASC_SAT "${sat ?? combined}" is not a saturation`);
  // ASC CDL: saturation 1 is the identity, as a correction without a SatNode reads.
  return { ...parsed, saturation: saturation ?? 1, descriptions: [] } satisfies ColorCorrection;
}

/** Pure: an ALE with each row read as a clip (known Avid columns, CDL). */
export function readAle(text: string): AleDocument {
  const ale = parseAle(text);
  const byLower = new Map(ale.columns.map((c) => [c.toLowerCase(), c]));
  const clips = ale.rows.map((row, index) => {
    const cell = (column: string) => {
      const name = byLower.get(column.toLowerCase());
      const value = name === undefined ? undefined : row[name];
      return value ? value : undefined;
    };
    const fields: AleClip['fields'] = {};
    for (const [field, column] of Object.entries(ALE_COLUMNS) as [AleField, string][]) {
      const value = cell(column);
      if (value !== undefined) fields[field] = value;
    }
    const clip: AleClip = {
      fields,
      columns: Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '')),
    };
    const cdl = cdlOf(cell, index + 1);
    if (cdl) clip.cdl = cdl;
    return clip;
  });
  return { format: 'ALE', ...ale, clips };
}

/** Content sniffing for `read`: a Heading keyword first and a Column section. */
export function looksLikeAle(text: string): boolean {
  const head = text.replace(/^\ufeff/, '').slice(0, 8000);
  return /^\s*Heading(\t|\s*[\r\n])/.test(head) && /(^|[\r\n])\s*Column(\t|\s*[\r\n])/.test(head);
}
