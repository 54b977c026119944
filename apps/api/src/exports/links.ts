/**
 * The api's own signed, expiring links (ALE, CSV, a roll's proxies as a zip): a link names
 * one roll and format, so it can be handed to a browser or `curl` without the bearer token.
 */
import { sign, verify } from '@rushes/storage';

export type ExportFormat = 'ale' | 'csv' | 'zip';

export const LINK_SECONDS = 15 * 60;

const keyOf = (rollId: string, format: ExportFormat) => `exports/rolls/${rollId}.${format}`;

export function exportLink(
  secret: string,
  publicUrl: string,
  rollId: string,
  format: ExportFormat,
  profile = '',
  now = Date.now(),
): string {
  const expires = Math.floor(now / 1000) + LINK_SECONDS;
  const sig = sign(secret, { method: 'GET', key: keyOf(rollId, format), expires, extra: profile });
  const query = new URLSearchParams({ expires: String(expires), sig, ...(profile ? { profile } : {}) });
  return `${publicUrl.replace(/\/+$/, '')}/${keyOf(rollId, format)}?${query}`;
}

/** Pure given `now`: whether a link's query string is a valid, unexpired signature for it. */
export function checkExportLink(
  secret: string,
  rollId: string,
  format: ExportFormat,
  query: Record<string, unknown>,
  now = Date.now(),
): 'ok' | 'expired' | 'invalid' {
  const expires = Number(query['expires']);
  const sig = query['sig'];
  if (!Number.isInteger(expires) || typeof sig !== 'string') return 'invalid';
  const profile = typeof query['profile'] === 'string' ? query['profile'] : '';
  return verify(secret, { method: 'GET', key: keyOf(rollId, format), expires, extra: profile }, sig, now);
}
