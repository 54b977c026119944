/**
 * Per-client rate limits on /graphql, /exports, /blobs and the GraphQL WebSocket, counted in
 * memory by rate-limiter-flexible: each api process counts on its own (with N replicas behind a
 * balancer a client gets up to N times the limit). Sign-in attempts have their own limits, shared
 * by every replica through PostgreSQL (auth/sign-in-throttle.ts).
 *
 * - every HTTP request and every WebSocket operation counts against the client's address
 *   (`ipPerMinute`), and, once its token is known, against its user or API key
 *   (`principalPerMinute`);
 * - a WebSocket connection may run `wsOperationsPerMinute` operations, and an address hold
 *   `wsConnectionsPerIp` connections open at once.
 *
 * /healthz (and any other route outside those) is never limited.
 */
import type { IncomingMessage } from 'node:http';
import { positiveInt } from '@rushes/schema/settings';
import { GraphQLError } from 'graphql';
import proxyaddr from 'proxy-addr';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { Access } from './auth/access.ts';
import { addressKey } from './auth/sign-in-throttle.ts';

export interface RateLimitSettings {
  /** HTTP requests and WebSocket operations per client address per minute. */
  ipPerMinute: number;
  /** Requests and operations per signed-in user or API key per minute (all its addresses). */
  principalPerMinute: number;
  /** WebSocket connections one address may hold open at once. */
  wsConnectionsPerIp: number;
  /** Operations (subscribe messages) per WebSocket connection per minute. */
  wsOperationsPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  ipPerMinute: 1200,
  principalPerMinute: 1200,
  wsConnectionsPerIp: 50,
  wsOperationsPerMinute: 300,
};

/** When a connection slot may free up is unknown: a client over the limit waits this long. */
export const CONNECTION_RETRY_SECONDS = 30;

/**
 * Pure: which proxies' X-Forwarded-For to believe, in Express's `trust proxy` syntax: `false`
 * (none: the socket's address), `true` (any), a hop count, or a comma-separated list of
 * addresses, CIDR ranges and `loopback`, `linklocal`, `uniquelocal`. Throws for a bad address.
 */
export function trustFrom(setting: string): (address: string, hop: number) => boolean {
  const value = setting.trim();
  if (value === '' || value === 'false') return () => false;
  if (value === 'true') return () => true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return proxyaddr.compile(value.split(',').map((part) => part.trim()));
}

/** The api's settings for it (README, "api"), spread into `apiSettings`. */
export const rateLimitSettings = {
  RATE_LIMIT_IP_PER_MINUTE: positiveInt(DEFAULT_RATE_LIMITS.ipPerMinute),
  RATE_LIMIT_PRINCIPAL_PER_MINUTE: positiveInt(DEFAULT_RATE_LIMITS.principalPerMinute),
  RATE_LIMIT_WS_CONNECTIONS_PER_IP: positiveInt(DEFAULT_RATE_LIMITS.wsConnectionsPerIp),
  RATE_LIMIT_WS_OPERATIONS_PER_MINUTE: positiveInt(DEFAULT_RATE_LIMITS.wsOperationsPerMinute),
  /** Proxies whose X-Forwarded-For names the client (Express `trust proxy` syntax). */
  TRUST_PROXY: z
    .string()
    .refine(
      (value) => {
        try {
          trustFrom(value);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'expected false, true, a hop count, or addresses/CIDR ranges/loopback, comma-separated' },
    )
    .default('loopback'),
};

type Settings = { [K in Exclude<keyof typeof rateLimitSettings, 'TRUST_PROXY'>]: number };

/** Pure: the limits the settings ask for. */
export function rateLimitsFrom(settings: Settings): RateLimitSettings {
  return {
    ipPerMinute: settings.RATE_LIMIT_IP_PER_MINUTE,
    principalPerMinute: settings.RATE_LIMIT_PRINCIPAL_PER_MINUTE,
    wsConnectionsPerIp: settings.RATE_LIMIT_WS_CONNECTIONS_PER_IP,
    wsOperationsPerMinute: settings.RATE_LIMIT_WS_OPERATIONS_PER_MINUTE,
  };
}

/** The client's address: the socket's, or X-Forwarded-For's as far as `trust` believes it. */
export function clientAddressOf(trust: (address: string, hop: number) => boolean) {
  return (request: IncomingMessage): string => proxyaddr(request, trust);
}

/** Which limit refused: `ip`, `principal`, `connection` (operations) or `connections` (open). */
export type RateLimitName = 'ip' | 'principal' | 'connection' | 'connections';

export type Verdict = { allowed: true } | { allowed: false; limit: RateLimitName; retryAfterSeconds: number };

const ALLOWED: Verdict = { allowed: true };

/** Pure: whole seconds to wait (at least 1) before the next point is available. */
export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

/** Pure: the key of the user or API key behind a request; undefined when anonymous. */
export function principalKey(access: Access): string | undefined {
  if (access.userId) return `user:${access.userId}`;
  if (access.apiKeyId) return `key:${access.apiKeyId}`;
  return undefined;
}

const MESSAGES: Record<RateLimitName, string> = {
  ip: 'Too many requests from this address',
  principal: 'Too many requests for this account or API key',
  connection: 'Too many operations on this connection',
  connections: 'Too many open WebSocket connections from this address',
};

/** The caller-facing message and extensions of a refusal. */
export function rateLimited(verdict: Extract<Verdict, { allowed: false }>) {
  return {
    message: `${MESSAGES[verdict.limit]}; try again in ${verdict.retryAfterSeconds} s.`,
    extensions: {
      code: 'RATE_LIMITED',
      limit: verdict.limit,
      retryAfterSeconds: verdict.retryAfterSeconds,
    },
  };
}

export function rateLimitedError(
  verdict: Extract<Verdict, { allowed: false }>,
  extra: Record<string, unknown> = {},
): GraphQLError {
  const { message, extensions } = rateLimited(verdict);
  return new GraphQLError(message, { extensions: { ...extensions, ...extra } });
}

async function take(limiter: RateLimiterMemory, key: string, limit: RateLimitName): Promise<Verdict> {
  try {
    await limiter.consume(key);
    return ALLOWED;
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    return {
      allowed: false,
      limit,
      retryAfterSeconds:
        limit === 'connections' ? CONNECTION_RETRY_SECONDS : retryAfterSeconds(error.msBeforeNext),
    };
  }
}

/** Runs the checks in order; the first refusal, or undefined when every one allowed. */
export async function firstRefusal(
  checks: readonly (() => Promise<Verdict>)[],
): Promise<Extract<Verdict, { allowed: false }> | undefined> {
  for (const check of checks) {
    const verdict = await check();
    if (!verdict.allowed) return verdict;
  }
  return undefined;
}

/** The limiters of one api process. */
export class RateLimits {
  private readonly ip: RateLimiterMemory;
  private readonly principal: RateLimiterMemory;
  private readonly operations: RateLimiterMemory;
  /** Open connections: a point taken on open, given back on close, never expiring. */
  private readonly connections: RateLimiterMemory;

  constructor(readonly settings: RateLimitSettings = DEFAULT_RATE_LIMITS) {
    this.ip = new RateLimiterMemory({ keyPrefix: 'ip', points: settings.ipPerMinute, duration: 60 });
    this.principal = new RateLimiterMemory({
      keyPrefix: 'principal',
      points: settings.principalPerMinute,
      duration: 60,
    });
    this.operations = new RateLimiterMemory({
      keyPrefix: 'ws-op',
      points: settings.wsOperationsPerMinute,
      duration: 60,
    });
    this.connections = new RateLimiterMemory({
      keyPrefix: 'ws-open',
      points: settings.wsConnectionsPerIp,
      duration: 0,
    });
  }

  /** One request or operation from `address`. */
  request(address: string | undefined): Promise<Verdict> {
    return take(this.ip, addressKey(address), 'ip');
  }

  /** One request or operation of a signed-in caller; anonymous callers have only `request`. */
  async caller(access: Access): Promise<Verdict> {
    const key = principalKey(access);
    return key ? take(this.principal, key, 'principal') : ALLOWED;
  }

  /** One operation on the WebSocket connection `connectionId`. */
  operation(connectionId: string): Promise<Verdict> {
    return take(this.operations, connectionId, 'connection');
  }

  /** A WebSocket connection opening from `address`; call `closed` when an allowed one ends. */
  async opened(address: string | undefined): Promise<Verdict> {
    const key = addressKey(address);
    const verdict = await take(this.connections, key, 'connections');
    // A refused connection never opens: its point is given back at once.
    if (!verdict.allowed) await this.connections.reward(key, 1);
    return verdict;
  }

  async closed(address: string | undefined, connectionId: string): Promise<void> {
    await this.connections.reward(addressKey(address), 1);
    await this.operations.delete(connectionId);
  }
}
