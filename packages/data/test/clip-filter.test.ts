import { describe, expect, it } from 'vitest';
import {
  clipConditions,
  clipOrder,
  escapeLike,
  FilterError,
  parseTimecodeParts,
} from '../src/clip-filter.ts';

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

  it('sorts with tie-breakers so pages are stable', () => {
    expect(clipOrder('NAME', 'ASC')).toHaveLength(3);
  });
});
