/** What `rushes ingest` prints, local or remote: progress bars on stderr, a summary on stdout. */
import { byteProgress } from '../remote/progress.ts';

export interface ClipLine {
  path: string;
  state: string;
  errorCode: string | null;
  errorMessage: string | null;
}

export function bar(enabled: boolean, label: string, done: number, total: number): void {
  if (!enabled || !process.stderr.isTTY) return;
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : 0;
  process.stderr.write(
    `\r${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
  );
  if (done >= total) process.stderr.write('\n');
}

/** A bytes bar with speed and ETA, redrawn at most 10 times a second. */
export function byteBar(enabled: boolean, label: string) {
  const started = Date.now();
  let drawn = 0;
  return (done: number, total: number) => {
    if (!enabled || !process.stderr.isTTY) return;
    const now = Date.now();
    if (now - drawn < 100 && done < total) return;
    drawn = now;
    process.stderr.write(`\r${label.padEnd(10)} ${byteProgress(done, total, (now - started) / 1000)}`);
    if (done >= total) process.stderr.write('\n');
  };
}

export const settled = (state: string) => state === 'ready' || state === 'failed' || state === 'partial';

/** Polls `states` until every clip has settled, drawing a bar; returns the last states. */
export async function waitForClips<T extends { state: string }>(
  states: () => Promise<T[]>,
  showBars: boolean,
): Promise<T[]> {
  for (;;) {
    const rows = await states();
    const done = rows.filter((r) => settled(r.state)).length;
    bar(showBars, 'processing', done, rows.length);
    if (rows.length > 0 && done === rows.length) return rows;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export function printClips(rows: ClipLine[]): void {
  for (const r of rows) {
    const error = r.errorCode ? `  ${r.errorCode}: ${r.errorMessage}` : '';
    console.log(`  ${r.state.toUpperCase().padEnd(10)} ${r.path}${error}`);
  }
}
