/**
 * The api's own signed, expiring links (ALE, CSV, a roll's proxies as a zip): a link names
 * one roll and format, so it can be handed to a browser or `curl` without the bearer token.
 * A zip link may also name a selection of the roll's clips, carried in the link itself.
 * Signed for the `export` purpose: a signature for the store's `/blobs` links is refused here,
 * and an export link's signature by `/blobs` (@rushes/storage signing.ts).
 */
import { linkSigner, type LinkSigner } from '@rushes/storage';

export type ExportFormat = 'ale' | 'csv' | 'zip';

export const LINK_SECONDS = 15 * 60;

/** At most this many clips in one link: 16 bytes each keeps the URL under ~11 KB. */
export const MAX_LINK_CLIPS = 500;

export interface LinkOptions {
  profile?: string;
  /** Clip uuids: only these clips' proxies. */
  clips?: readonly string[];
  /** An ALE of the clips at this rate only (roll-export.ts aleRate: `23.976`, `29.97DF`). */
  rate?: string;
}

/** The export signer of the process's secret, its key derived once (a page of rolls signs hundreds). */
let signer: { secret: string; export: LinkSigner } | undefined;
function exportSigner(secret: string): LinkSigner {
  if (signer?.secret !== secret) signer = { secret, export: linkSigner(secret, 'export') };
  return signer.export;
}

const keyOf = (rollId: string, format: ExportFormat) => `exports/rolls/${rollId}.${format}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Pure: uuids as one base64url string of their 16 bytes each. */
export function packIds(ids: readonly string[]): string {
  return Buffer.concat(ids.map((id) => Buffer.from(id.replace(/-/g, ''), 'hex'))).toString('base64url');
}

/** Pure: the uuids `packIds` made, or undefined when the text is not such a list. */
export function unpackIds(packed: string): string[] | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(packed)) return undefined;
  const bytes = Buffer.from(packed, 'base64url');
  if (bytes.length === 0 || bytes.length % 16 !== 0 || bytes.length / 16 > MAX_LINK_CLIPS) return undefined;
  const ids = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const hex = bytes.subarray(at, at + 16).toString('hex');
    ids.push(
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    );
  }
  return ids.every((id) => UUID.test(id)) ? ids : undefined;
}

const extraOf = (profile: string, clips: string, rate: string) =>
  `${profile}${clips ? `;clips=${clips}` : ''}${rate ? `;rate=${rate}` : ''}`;

export function exportLink(
  secret: string,
  publicUrl: string,
  rollId: string,
  format: ExportFormat,
  { profile = '', clips, rate = '' }: LinkOptions = {},
  now = Date.now(),
): string {
  const expires = Math.floor(now / 1000) + LINK_SECONDS;
  const packed = clips?.length ? packIds(clips) : '';
  const sig = exportSigner(secret).sign({
    method: 'GET',
    key: keyOf(rollId, format),
    expires,
    extra: extraOf(profile, packed, rate),
  });
  const query = new URLSearchParams({
    expires: String(expires),
    sig,
    ...(profile ? { profile } : {}),
    ...(packed ? { clips: packed } : {}),
    ...(rate ? { rate } : {}),
  });
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
  const clips = typeof query['clips'] === 'string' ? query['clips'] : '';
  const rate = typeof query['rate'] === 'string' ? query['rate'] : '';
  if (clips && !unpackIds(clips)) return 'invalid';
  return exportSigner(secret).verify(
    { method: 'GET', key: keyOf(rollId, format), expires, extra: extraOf(profile, clips, rate) },
    sig,
    now,
  );
}
