/**
 * What the api may answer again without asking PostgreSQL (issue 22, the hot path): a query's
 * serialized response for the same caller and the same request, and a token's access. Both are
 * kept only while nothing they were read from has changed, as told by change notifications
 * (migration 0005: triggers on every table the api reads announce each committed write, with the
 * productions it touched) and by this process's own mutations. Pure: the notifications, the
 * clock and the sizes come in from outside.
 *
 * Consistency: a write made through this process is seen by its next request (a mutation empties
 * both caches before its response is sent). A write by another process (a worker, another api
 * replica, the CLI) is seen once its notification arrives — the same connection that carries the
 * status events subscribers react to, and ahead of them. While that connection is down nothing is
 * cached or served from the cache. An entry also lapses after its time to live, whatever happens.
 */
import type { Change } from '@rushes/schema/events';

/** The productions an answer was read from: `all` for an instance admin, else the caller's. */
export type Scope = 'all' | readonly string[];

/** The clock's reading when a request began: what it read is current while nothing in its scope changed since. */
export interface Ticket {
  readonly at: number;
}

/**
 * Counts changes; remembers, for each production and for "everything", the count at its last
 * change. An answer read for a scope after ticket `t` is current while no production of the scope
 * (for `all`: nothing at all) and not everything changed after `t`.
 */
export class ChangeClock {
  private changes = 0;
  private everythingAt = 0;
  private readonly productionAt = new Map<string, number>();
  /** Whether changes are being heard; nothing is cached or served while they are not. */
  private heard = false;

  get live(): boolean {
    return this.heard;
  }

  /** The notifications' connection came up or went down: either way, what came before is suspect. */
  setLive(live: boolean): void {
    this.heard = live;
    this.changeAll();
  }

  apply(change: Change): void {
    if (change.kind === 'all') {
      this.changeAll();
      return;
    }
    this.changes += 1;
    for (const id of change.ids) this.productionAt.set(id, this.changes);
  }

  /** Everything may have changed: a `*` notification, a mutation here, a lost connection. */
  changeAll(): void {
    this.changes += 1;
    this.everythingAt = this.changes;
  }

  ticket(): Ticket {
    return { at: this.changes };
  }

  /** Nothing `scope` was read from changed since `ticket` was taken (and changes are heard). */
  unchangedSince(ticket: Ticket, scope: Scope): boolean {
    if (!this.heard || this.everythingAt > ticket.at) return false;
    if (scope === 'all') return this.changes === ticket.at;
    return scope.every((id) => (this.productionAt.get(id) ?? 0) <= ticket.at);
  }
}

export interface ReadCacheOptions<V> {
  /** The most the values may weigh together (as `weigh` counts); the least recently used go first. */
  maxWeight: number;
  /** How long a value may be served at most, in milliseconds. */
  ttlMs: number;
  weigh: (value: V) => number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  ticket: Ticket;
  scope: Scope;
  expires: number;
  weight: number;
}

/** Values kept while the clock says what they were read from is unchanged; bounded, least recently used dropped. */
export class ReadCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private weight = 0;
  private readonly now: () => number;

  constructor(
    readonly clock: ChangeClock,
    private readonly options: ReadCacheOptions<V>,
  ) {
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.maxWeight > 0;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now() || !this.clock.unchangedSince(entry.ticket, entry.scope)) {
      this.remove(key, entry);
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /**
   * Keeps `value`, read for `scope` after `ticket` was taken, unless something in the scope changed
   * since then (it may have been read before that change), it outweighs a sixteenth of the cache, or it
   * would lapse at once. `expiresAt` (ms) shortens the time to live, e.g. to a session's end.
   */
  set(key: string, ticket: Ticket, scope: Scope, value: V, expiresAt = Infinity): boolean {
    if (!this.enabled || !this.clock.unchangedSince(ticket, scope)) return false;
    const weight = this.options.weigh(value);
    if (weight > this.options.maxWeight / 16) return false;
    const expires = Math.min(this.now() + this.options.ttlMs, expiresAt);
    if (expires <= this.now()) return false;
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    this.entries.set(key, { value, ticket, scope, expires, weight });
    this.weight += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.weight <= this.options.maxWeight) break;
      this.remove(oldest, entry);
    }
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  get totalWeight(): number {
    return this.weight;
  }

  private remove(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.weight -= entry.weight;
  }
}
