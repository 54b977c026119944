/** Pure display helpers. */

export function bytes(n: number | null | undefined): string {
  if (n == null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let i = 0;
  for (; value >= 1000 && i < units.length - 1; i += 1) value /= 1000;
  return `${i === 0 ? value : value.toFixed(1)} ${units[i]}`;
}

/** "1:05" or "1:02:05" for a number of seconds; "—" when unknown. */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = String(s % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

export const STATE_LABEL: Record<string, string> = {
  pending: 'Waiting',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
  partial: 'Partly ready',
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Done',
  canceled: 'Cancelled',
};

/** "1,500 clips · 200 loaded, more as you scroll", "1 clip matches", "12 clips match". */
export function clipCount(total: number, loaded: number, filtered: boolean): string {
  const what = `${total.toLocaleString('en')} ${total === 1 ? 'clip' : 'clips'}`;
  const verb = filtered ? (total === 1 ? ' matches' : ' match') : '';
  return `${what}${verb}${loaded < total ? ` · ${loaded.toLocaleString('en')} loaded, more as you scroll` : ''}`;
}
