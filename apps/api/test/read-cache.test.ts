import { parseChange } from '@rushes/schema/events';
import { describe, expect, it } from 'vitest';
import { scopeOf } from '../src/cached-reads.ts';
import { ChangeClock, ReadCache } from '../src/graphql/read-cache.ts';

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';

function setup(options: { maxWeight?: number; ttlMs?: number } = {}) {
  const clock = new ChangeClock();
  clock.setLive(true);
  let now = 1_000;
  const cache = new ReadCache<string>(clock, {
    maxWeight: options.maxWeight ?? 1_000,
    ttlMs: options.ttlMs ?? 30_000,
    weigh: (value) => value.length,
    now: () => now,
  });
  return { clock, cache, advance: (ms: number) => (now += ms) };
}

describe('read cache', () => {
  it('serves a value until a production of its scope changes, not when another does', () => {
    const { clock, cache } = setup();
    expect(cache.set('a', clock.ticket(), [P1], 'answer')).toBe(true);
    clock.apply({ kind: 'productions', ids: [P2] });
    expect(cache.get('a')).toBe('answer');
    clock.apply({ kind: 'productions', ids: [P2, P1] });
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops every value on a change to everything, a local write or a lost connection', () => {
    const { clock, cache } = setup();
    cache.set('a', clock.ticket(), [P1], 'one');
    clock.apply({ kind: 'all' });
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', clock.ticket(), [], 'two');
    clock.changeAll();
    expect(cache.get('b')).toBeUndefined();
    cache.set('c', clock.ticket(), [P1], 'three');
    clock.setLive(false);
    expect(cache.get('c')).toBeUndefined();
  });

  it('an admin answer (scope all) lapses with any change at all', () => {
    const { clock, cache } = setup();
    cache.set('admin', clock.ticket(), 'all', 'everything');
    expect(cache.get('admin')).toBe('everything');
    clock.apply({ kind: 'productions', ids: [P2] });
    expect(cache.get('admin')).toBeUndefined();
  });

  it('does not keep what was read before a change in its scope that came during the request', () => {
    const { clock, cache } = setup();
    const ticket = clock.ticket();
    clock.apply({ kind: 'productions', ids: [P1] });
    expect(cache.set('a', ticket, [P1], 'maybe stale')).toBe(false);
    // A change elsewhere during the request does not matter.
    const second = clock.ticket();
    clock.apply({ kind: 'productions', ids: [P2] });
    expect(cache.set('a', second, [P1], 'current')).toBe(true);
    expect(cache.get('a')).toBe('current');
    // Scope all: any change during the request.
    const third = clock.ticket();
    clock.apply({ kind: 'productions', ids: [P2] });
    expect(cache.set('b', third, 'all', 'x')).toBe(false);
  });

  it('keeps and serves nothing while changes are not heard', () => {
    const { clock, cache } = setup();
    clock.setLive(false);
    expect(cache.set('a', clock.ticket(), [P1], 'x')).toBe(false);
    clock.setLive(true);
    const ticket = clock.ticket();
    expect(cache.set('a', ticket, [P1], 'x')).toBe(true);
    expect(cache.get('a')).toBe('x');
  });

  it('lapses after its time to live or an earlier end', () => {
    const { clock, cache, advance } = setup({ ttlMs: 100 });
    cache.set('a', clock.ticket(), [P1], 'x');
    cache.set('b', clock.ticket(), [P1], 'y', 1_050);
    advance(60);
    expect(cache.get('a')).toBe('x');
    expect(cache.get('b')).toBeUndefined();
    advance(40);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.set('c', clock.ticket(), [P1], 'z', 500)).toBe(false);
  });

  it('stays within its weight, dropping the least recently used first, and refuses a value over a sixteenth', () => {
    const { clock, cache } = setup({ maxWeight: 160 });
    const ticket = clock.ticket();
    expect(cache.set('big', ticket, [P1], 'x'.repeat(11))).toBe(false);
    for (const key of ['a', 'b', 'c']) cache.set(key, ticket, [P1], key.repeat(10));
    cache.get('a');
    for (let i = 0; i < 14; i += 1) cache.set(`k${i}`, ticket, [P1], 'k'.repeat(10));
    expect(cache.totalWeight).toBeLessThanOrEqual(160);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('aaaaaaaaaa');
    // Replacing a key does not count it twice.
    cache.set('a', ticket, [P1], 'A'.repeat(10));
    expect(cache.totalWeight).toBeLessThanOrEqual(160);
    expect(cache.get('a')).toBe('AAAAAAAAAA');
  });

  it('a cache of weight 0 is off', () => {
    const clock = new ChangeClock();
    clock.setLive(true);
    const cache = new ReadCache<string>(clock, { maxWeight: 0, ttlMs: 1000, weigh: () => 1 });
    expect(cache.enabled).toBe(false);
    expect(cache.set('a', clock.ticket(), [], 'x')).toBe(false);
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('change notifications and scopes', () => {
  it('reads a payload of production ids, and anything else as a change to everything', () => {
    expect(parseChange(`${P1},${P2}`)).toEqual({ kind: 'productions', ids: [P1, P2] });
    expect(parseChange('*')).toEqual({ kind: 'all' });
    expect(parseChange('')).toEqual({ kind: 'all' });
    expect(parseChange(undefined)).toEqual({ kind: 'all' });
    expect(parseChange(`${P1},rolls`)).toEqual({ kind: 'all' });
  });

  it('an admin reads everything; anyone else their productions', () => {
    expect(scopeOf({ admin: true, roles: new Map() })).toBe('all');
    expect(
      scopeOf({
        admin: false,
        roles: new Map([
          [P1, 'owner'],
          [P2, 'vendor'],
        ]),
      }),
    ).toEqual([P1, P2]);
    expect(scopeOf({ admin: false, roles: new Map() })).toEqual([]);
  });
});
