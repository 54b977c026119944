import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import {
  SPLIT_VALUES_LIMIT,
  SPLIT_WALK_LIMIT,
  splitCondition,
  splitOf,
  splitValuesQuery,
  usableSplit,
} from '../src/clip-split.ts';

const dialect = new PgDialect();

describe('splitting a filter by value', () => {
  it('splits by lens, then colour, then recorded day; other filters not at all', () => {
    expect(splitOf({ lens: 'cooke', colorSpace: 'rec709' })?.column.name).toBe('lens_model');
    expect(splitOf({ colorSpace: 'rec709' })?.column.name).toBe('color_terms');
    const recorded = splitOf({
      recordedFrom: new Date('2026-10-21T23:30:00+02:00'),
      recordedTo: new Date('2026-10-28T00:00:00Z'),
    });
    // Days are UTC: 23:30 at +02:00 is 21:30 UTC the same day.
    expect(recorded).toMatchObject({ type: 'date', from: '2026-10-21', to: '2026-10-28' });
    expect(splitOf({ reel: 'A001', text: 'x' })).toBeUndefined();
  });

  it('walks with the bounds and keeps what the filter keeps, with user text as a parameter', () => {
    const lens = dialect.sqlToQuery(splitValuesQuery(splitOf({ lens: '50%_' })!, 'p-1'));
    expect(lens.sql).toContain('"lens_model" > walked.v');
    expect(lens.sql).toMatch(/v ilike \$\d+/);
    expect(lens.params).toContain('%50\\%\\_%');
    const days = dialect.sqlToQuery(
      splitValuesQuery(splitOf({ recordedFrom: new Date('2026-10-21T00:00:00Z') })!, 'p-1'),
    );
    expect(days.sql).toContain('"recorded_day" >= $');
    expect(days.sql).not.toContain('"recorded_day" <= $');
    expect(days.params).toContain('2026-10-21');
    expect(days.params).toContain(SPLIT_WALK_LIMIT);
  });

  it("casts each value back to the column's type", () => {
    const query = dialect.sqlToQuery(splitCondition(splitOf({ colorSpace: 'rec709' })!, '{rec709,bt1886}'));
    expect(query.sql).toBe('"clips"."color_terms" = $1::text[]');
    expect(query.params).toEqual(['{rec709,bt1886}']);
  });

  it('splits only when every value was walked and few are kept', () => {
    expect(usableSplit({ values: ['a', 'b'], walked: 10 })).toEqual(['a', 'b']);
    expect(usableSplit({ values: [], walked: 3 })).toEqual([]);
    expect(usableSplit({ values: ['a'], walked: SPLIT_WALK_LIMIT })).toBeUndefined();
    const many = Array.from({ length: SPLIT_VALUES_LIMIT + 1 }, (_, i) => String(i));
    expect(usableSplit({ values: many, walked: 100 })).toBeUndefined();
  });
});
