/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those named on the command line) and prints
 * one table of figures, with each measured subject's ratio to the baseline run beside it.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openServer, type Benchmark, type Row } from './harness.ts';

const folder = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(folder))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

const server = openServer();
const rows: Row[] = [];
try {
  for (const file of files) {
    process.stderr.write(`running ${file}…\n`);
    const { default: run } = (await import(new URL(file, import.meta.url).href)) as { default: Benchmark };
    rows.push(...(await run(server.context)));
  }
} finally {
  await server.close();
}

const table = rows.map((r) => ({
  benchmark: r.benchmark,
  subject: r.subject,
  figure: `${r.value >= 100 ? Math.round(r.value).toLocaleString('en-US') : r.value.toFixed(2)} ${r.unit}`,
  'vs baseline': r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
}));
const columns = ['benchmark', 'subject', 'figure', 'vs baseline'] as const;
const widths = columns.map((c) => Math.max(c.length, ...table.map((t) => t[c].length)));
const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
console.log(line(columns));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const t of table) console.log(line(columns.map((c) => t[c])));
