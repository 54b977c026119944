/**
 * HMAC-signed, expiring links, for every kind of link the platform hands out: the local store's
 * `/blobs/<key>` (download, upload, multipart part) and the api's `/exports/…` (ALE, CSV, zip).
 * Each kind has a purpose, and each purpose its own key derived from the one secret (HKDF-SHA256,
 * info `rushes signed link: <purpose>`), so a signature made for one purpose never verifies for
 * another — even where two kinds of link happen to name the same method, key and expiry.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** Every kind of signed link. A new kind of link gets a purpose of its own here. */
export const SIGNING_PURPOSES = ['blob', 'export'] as const;
export type SigningPurpose = (typeof SIGNING_PURPOSES)[number];

export interface SignedRequest {
  method: 'GET' | 'PUT';
  key: string;
  /** Unix seconds. */
  expires: number;
  /** Multipart: upload id and part number; GET: the download name. */
  extra?: string;
}

export type Verdict = 'ok' | 'expired' | 'invalid';

export interface LinkSigner {
  readonly purpose: SigningPurpose;
  /** The request's signature, base64url. */
  sign(request: SignedRequest): string;
  /** Pure given `now`: whether `signature` is this purpose's signature of `request`, unexpired. */
  verify(request: SignedRequest, signature: string, now?: number): Verdict;
}

export const MIN_SECRET_LENGTH = 32;

function payload(request: SignedRequest): string {
  // Method, key (no control characters, see assertValidKey) and expiry cannot hold a newline;
  // `extra` is last, so no two requests share a payload.
  return [request.method, request.key, String(request.expires), request.extra ?? ''].join('\n');
}

/** The signer of one purpose's links; its key is derived from `secret` once, here. */
export function linkSigner(secret: string, purpose: SigningPurpose): LinkSigner {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`a signing secret needs at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (!SIGNING_PURPOSES.includes(purpose)) throw new Error(`unknown signing purpose "${String(purpose)}"`);
  const key = Buffer.from(hkdfSync('sha256', secret, '', `rushes signed link: ${purpose}`, 32));
  const sign = (request: SignedRequest) =>
    createHmac('sha256', key).update(payload(request)).digest('base64url');
  return {
    purpose,
    sign,
    verify(request, signature, now = Date.now()) {
      const expected = Buffer.from(sign(request));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
      return request.expires * 1000 < now ? 'expired' : 'ok';
    },
  };
}
