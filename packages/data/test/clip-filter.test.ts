import { describe, expect, it } from 'vitest';
import { PgDialect } from 'drizzle-orm/pg-core';
import {
  clipConditions,
  decodeClipCursor,
  encodeClipCursor,
  escapeLike,
  FilterError,
  keysetSegments,
  parseTimecodeParts,
  timecodeSecondsBounds,
  type ClipCursor,
} from '../src/clip-filter.ts';

const dialect = new PgDialect();
const text = (sql: Parameters<PgDialect['sqlToQuery']>[0]) => dialect.sqlToQuery(sql).sql;

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('timecodes in filters', () => {
  it('reads HH:MM:SS:FF with : ; . or , before the frames, and refuses the rest saying how', () => {
    expect(parseTimecodeParts('14:03:10:00', 't')).toEqual({ hours: 14, minutes: 3, seconds: 10, frames: 0 });
    expect(parseTimecodeParts(' 01:00:00;02 ', 't')).toEqual({ hours: 1, minutes: 0, seconds: 0, frames: 2 });
    const bad = thrown(() => parseTimecodeParts('24:00:00:00', 'timecodeFrom'));
    expect(bad).toBeInstanceOf(FilterError);
    expect((bad as FilterError).message).toContain('is not a timecode: use HH:MM:SS:FF');
    expect((bad as FilterError).field).toBe('timecodeFrom');
    expect((thrown(() => parseTimecodeParts('14:03:10', 't')) as Error).message).toContain(
      'is not a timecode',
    );
  });

  it('refuses half a timecode range, naming the missing end', () => {
    const error = thrown(() => clipConditions({ timecodeFrom: '01:00:00:00' }, undefined)) as FilterError;
    expect(error).toBeInstanceOf(FilterError);
    expect(error.field).toBe('timecodeTo');
    expect(error.message).toBe('Give both timecodeFrom and timecodeTo for a range.');
  });

  it('escapes LIKE wildcards so text matches itself', () => {
    expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b');
  });

  it('refuses a range whose end is before its start, naming timecodeTo', () => {
    const error = thrown(() =>
      clipConditions({ timecodeFrom: '14:00:00:00', timecodeTo: '13:59:59:23' }, undefined),
    ) as FilterError;
    expect(error).toBeInstanceOf(FilterError);
    expect(error.field).toBe('timecodeTo');
    expect(error.message).toContain('is before timecodeFrom');
  });
});

describe('the coarse timecode seconds a label can fall in', () => {
  it('is the label’s own second when no drop-frame rate counts it differently', () => {
    // 00:00:10:05: drop-frame drops no label in the first minute, so every rate agrees.
    expect(timecodeSecondsBounds({ hours: 0, minutes: 0, seconds: 10, frames: 5 })).toEqual({
      low: 10,
      high: 10,
    });
  });

  it('reaches back 3.6 s an hour for the drop-frame rates (108 labels dropped per hour)', () => {
    // 10:00:00;00 is frame 1,078,920 at 29.97 DF: 35,964 s of 30 frames, 36 s before the label.
    expect(timecodeSecondsBounds({ hours: 10, minutes: 0, seconds: 0, frames: 0 })).toEqual({
      low: 35_964,
      high: 36_000,
    });
  });

  it('ignores a drop-frame rate where the label does not exist', () => {
    // 00:01:00;00 is dropped at 29.97 DF (;00–;01) and at 59.94 DF (;00–;03).
    expect(timecodeSecondsBounds({ hours: 0, minutes: 1, seconds: 0, frames: 0 })).toEqual({
      low: 60,
      high: 60,
    });
  });
});

describe('keyset cursors', () => {
  const cursor: ClipCursor = {
    field: 'RECORDED_AT',
    direction: 'DESC',
    key: '2026-11-20 14:00:00.123456+00',
    path: 'A001/Clip/A001C001.mov',
    id: '0b5f6a6e-7f5e-4a52-9d4e-1d8f0c1b2a3c',
  };

  it('round-trips, keeping the key as PostgreSQL wrote it (microseconds included)', () => {
    const text = encodeClipCursor(cursor);
    expect(text).toMatch(/^k1:[A-Za-z0-9_-]+$/);
    expect(decodeClipCursor(text, { field: 'RECORDED_AT', direction: 'DESC' })).toEqual(cursor);
  });

  it('refuses a cursor of another order, saying which order it belongs to', () => {
    const error = thrown(() =>
      decodeClipCursor(encodeClipCursor(cursor), { field: 'RECORDED_AT', direction: 'ASC' }),
    ) as FilterError;
    expect(error.field).toBe('after');
    expect(error.message).toContain('a cursor of the RECORDED_AT DESC order');
  });

  it('refuses what it did not give out: an old offset cursor, garbage, a tampered id, an empty name key', () => {
    const order = { field: 'NAME', direction: 'ASC' } as const;
    const forged = (parts: unknown[]) => `k1:${Buffer.from(JSON.stringify(parts)).toString('base64url')}`;
    for (const text of [
      Buffer.from('o:49').toString('base64url'),
      'k1:!!!',
      forged(['NAME', 'ASC', 'a', 'p', "x'; drop table clips; --"]),
      forged(['NAME', 'ASC', null, 'p', cursor.id]),
      forged(['NAME', 'SIDEWAYS', 'a', 'p', cursor.id]),
    ]) {
      const error = thrown(() => decodeClipCursor(text, order)) as FilterError;
      expect(error.message, text).toBe('after is not a cursor this api gave out.');
    }
  });
  it('refuses a key PostgreSQL could not read back as the sort’s type, instead of failing the query', () => {
    const forged = (parts: unknown[]) => `k1:${Buffer.from(JSON.stringify(parts)).toString('base64url')}`;
    for (const [field, key] of [
      ['SIZE', '12; drop table clips'],
      ['DURATION', '1e9'],
      ['RECORDED_AT', 'yesterday'],
    ] as const) {
      const error = thrown(() =>
        decodeClipCursor(forged([field, 'ASC', key, 'p', cursor.id]), { field, direction: 'ASC' }),
      ) as FilterError;
      expect(error.message, `${field} ${key}`).toBe('after is not a cursor this api gave out.');
    }
    // What PostgreSQL writes is taken: a timestamp with microseconds and an offset, a negative number.
    expect(
      decodeClipCursor(forged(['SIZE', 'ASC', '-5', 'p', cursor.id]), { field: 'SIZE', direction: 'ASC' })
        .key,
    ).toBe('-5');
  });
});

describe('keyset segments', () => {
  it('reads a column that is never empty in one scan, after the cursor’s row', () => {
    const [only, ...rest] = keysetSegments(
      { field: 'NAME', direction: 'ASC' },
      {
        field: 'NAME',
        direction: 'ASC',
        key: 'B.mov',
        path: 'B.mov',
        id: '0b5f6a6e-7f5e-4a52-9d4e-1d8f0c1b2a3c',
      },
    );
    expect(rest).toEqual([]);
    expect(text(only!.where[0]!)).toBe(
      '("clips"."file_name", "clips"."original_path", "clips"."id") > ($1::text, $2, $3::uuid)',
    );
    expect(only!.orderBy.map(text)).toEqual([
      '"clips"."file_name" asc',
      '"clips"."original_path" asc',
      '"clips"."id" asc',
    ]);
  });

  it('puts clips without the sort value after the others in both directions', () => {
    const [valued, empties] = keysetSegments({ field: 'SIZE', direction: 'DESC' });
    expect(text(valued!.where[0]!)).toBe('"clips"."size_bytes" is not null');
    expect(valued!.orderBy.map(text)[0]).toBe('"clips"."size_bytes" desc');
    expect(text(empties!.where[0]!)).toBe('"clips"."size_bytes" is null');
    expect(empties!.orderBy.map(text)).toEqual(['"clips"."original_path" desc', '"clips"."id" desc']);
  });

  it('continues among the empty ones only, once the cursor is there', () => {
    const segments = keysetSegments(
      { field: 'SIZE', direction: 'ASC' },
      {
        field: 'SIZE',
        direction: 'ASC',
        key: null,
        path: 'C.mov',
        id: '0b5f6a6e-7f5e-4a52-9d4e-1d8f0c1b2a3c',
      },
    );
    expect(segments).toHaveLength(1);
    expect(segments[0]!.where.map(text)).toEqual([
      '"clips"."size_bytes" is null',
      '("clips"."original_path", "clips"."id") > ($1, $2::uuid)',
    ]);
  });
});
