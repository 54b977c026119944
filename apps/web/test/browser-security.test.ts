/** The web server's pure security parts: the session cookie, the headers, what the gateway refuses. */
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { sessionCookie } from '../src/lib/session-cookie.ts';
import { toWebSocketUrl } from '../src/lib/urql.tsx';
import {
  forwardedFor,
  GATEWAY_OPERATIONS,
  isCrossSite,
  refusal,
  sessionTokenOf,
} from '../src/server/gateway.ts';
import { contentSecurityPolicy, isHttps, securityHeaders } from '../src/server/security-headers.ts';

const json = { 'content-type': 'application/json' };

describe('the session cookie', () => {
  it('keeps the token for 30 days, out of scripts’ reach, and forgets it', () => {
    expect(sessionCookie('rs_tok;en ', false)).toBe(
      'rushes_session=rs_tok%3Ben%20; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax',
    );
    expect(sessionCookie('t', true)).toBe(
      'rushes_session=t; Max-Age=2592000; Path=/; HttpOnly; Secure; SameSite=Lax',
    );
    expect(sessionCookie(null, false)).toBe('rushes_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax');
  });

  it('is read back from a Cookie header, and an empty one is no session', () => {
    expect(sessionTokenOf('a=1; rushes_session=rs_tok%3Ben%20; b=2')).toBe('rs_tok;en ');
    expect(sessionTokenOf('rushes_session=')).toBeUndefined();
    expect(sessionTokenOf('other=1')).toBeUndefined();
    expect(sessionTokenOf(undefined)).toBeUndefined();
  });
});

describe('the security headers', () => {
  const policy = { nonce: 'bm9uY2U=', https: false, mediaOrigins: ['http://localhost:4000'] };

  it('allow scripts only with this response’s nonce, media from the api, and no framing', () => {
    const csp = contentSecurityPolicy(policy);
    const directives = Object.fromEntries(
      csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives).toEqual({
      'default-src': "'self'",
      'script-src': "'self' 'nonce-bm9uY2U=' 'strict-dynamic'",
      'style-src': "'self' 'nonce-bm9uY2U='",
      'style-src-attr': "'unsafe-inline'",
      'img-src': "'self' blob: http://localhost:4000",
      'media-src': "'self' blob: http://localhost:4000",
      'connect-src': "'self' http://localhost:4000",
      'font-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('add HSTS and upgrade-insecure-requests over HTTPS only', () => {
    const plain = securityHeaders(policy);
    expect(plain).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'x-frame-options': 'DENY',
      'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    });
    expect(plain['strict-transport-security']).toBeUndefined();
    const secure = securityHeaders({ ...policy, https: true });
    expect(secure['strict-transport-security']).toBe('max-age=31536000');
    expect(secure['content-security-policy']).toMatch(/; upgrade-insecure-requests$/);
  });

  it('know HTTPS from the socket or a TLS proxy’s X-Forwarded-Proto', () => {
    expect(isHttps({ headers: {}, socket: { encrypted: true } as never })).toBe(true);
    expect(isHttps({ headers: { 'x-forwarded-proto': 'https, http' }, socket: {} as never })).toBe(true);
    expect(isHttps({ headers: { 'x-forwarded-proto': 'http' }, socket: {} as never })).toBe(false);
    expect(isHttps({ headers: {}, socket: {} as never })).toBe(false);
  });
});

describe('the gateway refuses', () => {
  it('anything but a JSON POST from this site, saying why', () => {
    expect(refusal('POST', { ...json, 'sec-fetch-site': 'same-origin' })).toBeUndefined();
    expect(
      refusal('POST', { 'content-type': 'application/json; charset=utf-8', host: 'web' }),
    ).toBeUndefined();
    expect(refusal('GET', json)).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(refusal('POST', { 'content-type': 'text/plain' })).toEqual({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Send the request as JSON (Content-Type: application/json).',
    });
    expect(refusal('POST', { 'content-type': 'application/x-www-form-urlencoded' })?.status).toBe(415);
    for (const site of ['cross-site', 'same-site', 'none']) {
      expect(refusal('POST', { ...json, 'sec-fetch-site': site })).toEqual({
        status: 403,
        code: 'CROSS_SITE_REQUEST',
        message: 'Requests from other sites are refused.',
      });
    }
  });

  it('requests whose Origin is another host when the browser sends no Fetch Metadata', () => {
    expect(isCrossSite({ origin: 'https://evil.example', host: 'rushes.example.com' })).toBe(true);
    expect(isCrossSite({ origin: 'https://rushes.example.com', host: 'rushes.example.com' })).toBe(false);
    expect(
      isCrossSite({
        origin: 'https://rushes.example.com',
        host: 'web:3000',
        'x-forwarded-host': 'rushes.example.com',
      }),
    ).toBe(false);
    expect(isCrossSite({ origin: 'null', host: 'rushes.example.com' })).toBe(true);
    expect(isCrossSite({ host: 'rushes.example.com' })).toBe(false);
  });
});

describe('the gateway', () => {
  it('tells the api who the browser is, after whoever forwarded it', () => {
    expect(forwardedFor({ headers: {}, socket: { remoteAddress: '10.0.0.7' } as never })).toBe('10.0.0.7');
    expect(
      forwardedFor({
        headers: { 'x-forwarded-for': '203.0.113.9' },
        socket: { remoteAddress: '10.0.0.7' } as never,
      }),
    ).toBe('203.0.113.9, 10.0.0.7');
  });

  it('sends operations the api’s schema accepts', () => {
    const schema = buildSchema(readFileSync(new URL('../../api/schema.graphql', import.meta.url), 'utf8'));
    for (const operation of GATEWAY_OPERATIONS) expect(validate(schema, parse(operation))).toEqual([]);
  });

  it('opens subscriptions on the page’s own origin', () => {
    expect(toWebSocketUrl('https://rushes.example.com/rolls/x?y=1')).toBe('wss://rushes.example.com/graphql');
    expect(toWebSocketUrl('http://localhost:3000/')).toBe('ws://localhost:3000/graphql');
  });
});
