/**
 * The api process's read caches (graphql/read-cache.ts), kept current by the event hub's change
 * notifications: query responses by caller and request, and access by token.
 */
import type pg from 'pg';
import { ANONYMOUS, type Access } from './auth/access.ts';
import { lookUpAccess } from './auth/sessions.ts';
import type { EventHub } from './events/hub.ts';
import { ChangeClock, ReadCache, type Scope, type Ticket } from './graphql/read-cache.ts';

/** A response or an access is served from the cache for at most this long (signed links inside last 15 minutes). */
export const READ_CACHE_TTL_MS = 30_000;
/** Default size of the response cache (API_RESPONSE_CACHE_MB). */
export const DEFAULT_RESPONSE_CACHE_BYTES = 64 * 1024 * 1024;
/** Tokens whose access is kept at once. */
export const ACCESS_CACHE_ENTRIES = 10_000;

/** Pure: the productions an answer for `access` can have been read from. */
export function scopeOf(access: Access): Scope {
  return access.admin ? 'all' : [...access.roles.keys()];
}

export class CachedReads {
  readonly clock = new ChangeClock();
  /** Serialized query responses, by authorization header and request body. */
  readonly responses: ReadCache<string>;
  private readonly accesses: ReadCache<Access>;
  private readonly stopHearing: () => void;

  /** `responseBytes` 0 turns both caches off (every request reads PostgreSQL). */
  constructor(
    events: EventHub,
    private readonly pool: pg.Pool,
    responseBytes = DEFAULT_RESPONSE_CACHE_BYTES,
  ) {
    this.responses = new ReadCache(this.clock, {
      maxWeight: responseBytes,
      ttlMs: READ_CACHE_TTL_MS,
      // UTF-16 in memory.
      weigh: (body) => body.length * 2,
    });
    this.accesses = new ReadCache(this.clock, {
      maxWeight: responseBytes > 0 ? ACCESS_CACHE_ENTRIES : 0,
      ttlMs: READ_CACHE_TTL_MS,
      weigh: () => 1,
    });
    this.stopHearing = events.onChange({
      change: (change) => this.clock.apply(change),
      live: (live) => this.clock.setLive(live),
    });
  }

  /** The clock's reading, taken before a request reads anything. */
  ticket(): Ticket {
    return this.clock.ticket();
  }

  /** The token's access (throws InvalidTokenError), from the cache while nothing about people changed. */
  async access(token: string | undefined): Promise<Access> {
    if (!token) return ANONYMOUS;
    const cached = this.accesses.get(token);
    if (cached) return cached;
    const ticket = this.clock.ticket();
    const { access, until } = await lookUpAccess(this.pool, token);
    // Sessions, keys, members and users announce every change as `*`: no production scope.
    this.accesses.set(token, ticket, [], access, until);
    return access;
  }

  /** This process wrote (a mutation ran): its next request must not be answered from before. */
  wrote(): void {
    this.clock.changeAll();
  }

  close(): void {
    this.stopHearing();
  }
}
