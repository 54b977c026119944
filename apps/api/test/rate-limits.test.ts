/**
 * The per-client rate limits' pure parts and the in-memory limiters they drive
 * (rate-limiter-flexible, no mocks: the memory limiter is the real one).
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadApiSettings } from '../src/config.ts';
import {
  clientAddressOf,
  CONNECTION_RETRY_SECONDS,
  DEFAULT_RATE_LIMITS,
  principalKey,
  rateLimited,
  RateLimits,
  rateLimitsFrom,
  retryAfterSeconds,
  trustFrom,
} from '../src/rate-limits.ts';

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    connection: { remoteAddress },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  } as unknown as IncomingMessage;
}

/** The settings every api needs, beside the ones under test. */
const BASE = { DATABASE_URL: 'postgres://x/y', STORAGE_SIGNING_SECRET: 's'.repeat(32) };

describe('client address', () => {
  it('believes X-Forwarded-For only from trusted proxies (default: loopback)', () => {
    const loopback = clientAddressOf(trustFrom('loopback'));
    expect(loopback(request('127.0.0.1', '203.0.113.7'))).toBe('203.0.113.7');
    expect(loopback(request('198.51.100.1', '203.0.113.7'))).toBe('198.51.100.1');
    expect(clientAddressOf(trustFrom('false'))(request('127.0.0.1', '203.0.113.7'))).toBe('127.0.0.1');
    expect(clientAddressOf(trustFrom('1'))(request('10.0.0.2', '203.0.113.7, 10.0.0.1'))).toBe('10.0.0.1');
    expect(clientAddressOf(trustFrom('10.0.0.0/8'))(request('10.0.0.2', '203.0.113.7, 10.0.0.1'))).toBe(
      '203.0.113.7',
    );
  });

  it('refuses a TRUST_PROXY that is not an address list, naming the variable', () => {
    expect(() => trustFrom('not-an-address')).toThrow();
    expect(() => loadApiSettings({ ...BASE, TRUST_PROXY: 'nope' })).toThrow(
      /TRUST_PROXY="nope": expected false, true, a hop count/,
    );
  });
});

describe('settings', () => {
  it('defaults to DEFAULT_RATE_LIMITS and takes each variable', () => {
    const defaults = loadApiSettings(BASE);
    expect(rateLimitsFrom(defaults)).toEqual(DEFAULT_RATE_LIMITS);
    expect(defaults.TRUST_PROXY).toBe('loopback');
    const set = loadApiSettings({
      ...BASE,
      RATE_LIMIT_IP_PER_MINUTE: '10',
      RATE_LIMIT_PRINCIPAL_PER_MINUTE: '20',
      RATE_LIMIT_WS_CONNECTIONS_PER_IP: '3',
      RATE_LIMIT_WS_OPERATIONS_PER_MINUTE: '40',
    });
    expect(rateLimitsFrom(set)).toEqual({
      ipPerMinute: 10,
      principalPerMinute: 20,
      wsConnectionsPerIp: 3,
      wsOperationsPerMinute: 40,
    });
    expect(() => loadApiSettings({ ...BASE, RATE_LIMIT_IP_PER_MINUTE: '0' })).toThrow(
      /RATE_LIMIT_IP_PER_MINUTE="0": must be ≥ 1/,
    );
  });
});

describe('pure helpers', () => {
  it('rounds the wait up to whole seconds, at least one', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(59_000)).toBe(59);
  });

  it('keys a caller by user or API key; anonymous callers have no principal', () => {
    expect(principalKey({ userId: 'u1', admin: false, roles: new Map() })).toBe('user:u1');
    expect(principalKey({ apiKeyId: 'k1', admin: false, roles: new Map() })).toBe('key:k1');
    expect(principalKey({ admin: false, roles: new Map() })).toBe(undefined);
  });

  it('says which limit refused and when to come back', () => {
    expect(rateLimited({ allowed: false, limit: 'ip', retryAfterSeconds: 7 })).toEqual({
      message: 'Too many requests from this address; try again in 7 s.',
      extensions: { code: 'RATE_LIMITED', limit: 'ip', retryAfterSeconds: 7 },
    });
  });
});

describe('RateLimits', () => {
  const limits = () =>
    new RateLimits({
      ipPerMinute: 2,
      principalPerMinute: 1,
      wsConnectionsPerIp: 1,
      wsOperationsPerMinute: 1,
    });

  it('refuses an address past its requests per minute, others untouched', async () => {
    const l = limits();
    expect(await l.request('203.0.113.1')).toEqual({ allowed: true });
    expect(await l.request('203.0.113.1')).toEqual({ allowed: true });
    const refused = await l.request('203.0.113.1');
    expect(refused).toMatchObject({ allowed: false, limit: 'ip' });
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(await l.request('203.0.113.2')).toEqual({ allowed: true });
  });

  it('counts the addresses of one IPv6 /64 together', async () => {
    const l = limits();
    await l.request('2001:db8::1');
    await l.request('2001:db8::2');
    expect(await l.request('2001:db8::ffff')).toMatchObject({ allowed: false, limit: 'ip' });
  });

  it('limits signed-in callers by principal and never anonymous ones', async () => {
    const l = limits();
    const user = { userId: 'u1', admin: false, roles: new Map() };
    expect(await l.caller(user)).toEqual({ allowed: true });
    expect(await l.caller(user)).toMatchObject({ allowed: false, limit: 'principal' });
    const anonymous = { admin: false, roles: new Map() };
    expect(await l.caller(anonymous)).toEqual({ allowed: true });
    expect(await l.caller(anonymous)).toEqual({ allowed: true });
  });

  it('gives a connection slot back when the connection closes', async () => {
    const l = limits();
    expect(await l.opened('203.0.113.9')).toEqual({ allowed: true });
    expect(await l.opened('203.0.113.9')).toEqual({
      allowed: false,
      limit: 'connections',
      retryAfterSeconds: CONNECTION_RETRY_SECONDS,
    });
    expect(await l.operation('c1')).toEqual({ allowed: true });
    expect(await l.operation('c1')).toMatchObject({ allowed: false, limit: 'connection' });
    await l.closed('203.0.113.9', 'c1');
    expect(await l.opened('203.0.113.9')).toEqual({ allowed: true });
    expect(await l.operation('c1')).toEqual({ allowed: true });
  });
});
