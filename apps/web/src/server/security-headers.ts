/**
 * The headers every response of the web server carries: a strict Content-Security-Policy whose
 * scripts need this response's nonce (Next.js reads it from the request's CSP header and puts it
 * on its own scripts), and the usual hardening headers. Pure, apart from `newNonce`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface PagePolicy {
  /** Fresh for every response. */
  nonce: string;
  /** Served over HTTPS (directly or behind a proxy that says so). */
  https: boolean;
  /**
   * Where the browser loads media from and uploads to besides this origin: the api's (signed
   * `/blobs` and `/exports` links) and the S3 store's.
   */
  mediaOrigins: readonly string[];
}

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Pure: whether the browser reached this server over HTTPS (a TLS proxy sets X-Forwarded-Proto). */
export function isHttps(req: Pick<IncomingMessage, 'headers' | 'socket'>): boolean {
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return (req.socket as Partial<TLSSocket>).encrypted === true || proto === 'https';
}

/**
 * Pure. Scripts: only those carrying the nonce, and what they load ('strict-dynamic'). Styles:
 * the app's stylesheets and nonced style elements; `style` attributes stay allowed (the virtual
 * lists size their rows with them, and an attribute cannot run script). No plugins, no <base>,
 * no framing, forms post only here.
 */
export function contentSecurityPolicy({ nonce, https, mediaOrigins }: PagePolicy): string {
  const media = mediaOrigins.length > 0 ? ` ${mediaOrigins.join(' ')}` : '';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    `img-src 'self' blob:${media}`,
    `media-src 'self' blob:${media}`,
    `connect-src 'self'${media}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Pure: every header of a response (pages, assets, the gateway's JSON alike). */
export function securityHeaders(policy: PagePolicy): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(policy),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    ...(policy.https ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}
