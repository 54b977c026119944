/** CSV (RFC 4180): quoted fields, doubled quotes, CRLF/LF/CR line endings; header row → objects. */

export interface CsvOptions {
  /**
   * Picks the header row, for reports with a preamble above their table (a recorder's sound
   * report). Default: the first non-empty row.
   */
  isHeader?: (fields: readonly string[]) => boolean;
}

export function parseCsv(
  text: string,
  options: CsvOptions = {},
): { columns: string[]; rows: Record<string, string>[] } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.replace(/^\ufeff/, '');
  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i]!;
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && source[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const nonEmpty = records.filter((r) => r.some((f) => f.trim() !== ''));
  const start = options.isHeader
    ? Math.max(
        nonEmpty.findIndex((r) => options.isHeader!(r)),
        0,
      )
    : 0;
  const [header = [], ...data] = nonEmpty.slice(start);
  const columns = header.map((c) => c.trim());
  return { columns, rows: data.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? '']))) };
}

const quote = (value: string) =>
  /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

export function writeCsv(
  columns: readonly string[],
  rows: readonly Record<string, string | number | undefined>[],
): string {
  const line = (values: readonly (string | number | undefined)[]) =>
    values.map((v) => quote(v === undefined ? '' : String(v))).join(',');
  return [line(columns), ...rows.map((row) => line(columns.map((c) => row[c])))].join('\r\n') + '\r\n';
}
