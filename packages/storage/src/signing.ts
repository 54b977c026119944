/**
 * HMAC-signed, expiring URLs for the local driver: the api serves `/blobs/<key>` and checks the
 * signature, so a link works for exactly one method, key (and part) until it expires.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  method: 'GET' | 'PUT';
  key: string;
  /** Unix seconds. */
  expires: number;
  /** Multipart: upload id and part number; GET: the download name. */
  extra?: string;
}

function payload(request: SignedRequest): string {
  return [request.method, request.key, String(request.expires), request.extra ?? ''].join('\n');
}

export function sign(secret: string, request: SignedRequest): string {
  return createHmac('sha256', secret).update(payload(request)).digest('base64url');
}

/** Pure given `now`: whether the signature matches and has not expired. */
export function verify(
  secret: string,
  request: SignedRequest,
  signature: string,
  now = Date.now(),
): 'ok' | 'expired' | 'invalid' {
  const expected = Buffer.from(sign(secret, request));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  return request.expires * 1000 < now ? 'expired' : 'ok';
}
