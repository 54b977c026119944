/**
 * Avid Log Exchange: a Heading (key TAB value), a Column line naming the fields, and Data rows,
 * tab-separated. Read tolerantly (CRLF or LF, short or long rows, blank first columns) and
 * written the way Media Composer imports it.
 */
import { ManifestError } from '../manifest/xml.ts';

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
  for (const line of lines) {
    const keyword = line.trim();
    if (keyword === 'Heading' || keyword === 'Column' || keyword === 'Data') {
      section = keyword.toLowerCase() as Section;
      continue;
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
