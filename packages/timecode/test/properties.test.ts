/**
 * The timecode module against an independent model of SMPTE ST 12 written here, differently:
 * drop-frame labels are found by counting whole ten-minute blocks and then whole minutes inside
 * the block (the module instead adds the skipped numbers back to the count), and a day of
 * drop-frame is walked like a clock, one frame at a time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addFrames,
  FRAME_RATES,
  fieldsFromFrames,
  formatTimecode,
  framesFromFields,
  framesPerDay,
  parseTimecode,
  TimecodeError,
  type FrameRate,
  type FrameRateName,
} from '../src/index.ts';

const NAMES = Object.keys(FRAME_RATES) as FrameRateName[];

/** The model: frames per timecode second and frame numbers dropped per minute, from the name. */
function model(name: FrameRateName) {
  const fps = Math.ceil(Number.parseFloat(name));
  const drop = name.endsWith('DF') ? (fps === 30 ? 2 : 4) : 0;
  const minute = 60 * fps;
  const block = 10 * minute - 9 * drop; // ten minutes: the first keeps all its numbers
  const hour = 6 * block;
  const day = 24 * hour;
  return { fps, drop, minute, block, hour, day };
}

/** Label of frame n (0 ≤ n < day) by block counting. */
function label(name: FrameRateName, n: number): [number, number, number, number] {
  const { fps, drop, minute, block, hour } = model(name);
  const hours = Math.floor(n / hour);
  let rest = n - hours * hour;
  const blocks = Math.floor(rest / block);
  rest -= blocks * block;
  let minuteInBlock = 0;
  let frameInMinute = rest;
  if (rest >= minute) {
    // Minutes 1–9 of a block each hold minute − drop frames, numbered from `drop`.
    minuteInBlock = 1 + Math.floor((rest - minute) / (minute - drop));
    frameInMinute = ((rest - minute) % (minute - drop)) + drop;
  }
  return [hours, blocks * 10 + minuteInBlock, Math.floor(frameInMinute / fps), frameInMinute % fps];
}

function text(name: FrameRateName, [h, m, s, f]: number[]): string {
  const { fps, drop } = model(name);
  const two = (v: number) => String(v).padStart(2, '0');
  return `${two(h!)}:${two(m!)}:${two(s!)}${drop ? ';' : ':'}${String(f).padStart(fps > 100 ? 3 : 2, '0')}`;
}

/** Frame number of a label by block counting; undefined for labels drop-frame skips. */
function frameOf(name: FrameRateName, [h, m, s, f]: number[]): number | undefined {
  const { fps, drop, minute, block, hour } = model(name);
  const minuteInBlock = m! % 10;
  if (drop && minuteInBlock !== 0 && s === 0 && f! < drop) return undefined;
  const intoMinute = s! * fps + f! - (minuteInBlock === 0 ? 0 : drop);
  const minutesBefore = minuteInBlock === 0 ? 0 : minute + (minuteInBlock - 1) * (minute - drop);
  return h! * hour + Math.floor(m! / 10) * block + minutesBefore + intoMinute;
}

const rateName = fc.constantFrom(...NAMES);
const frameOfDay = (name: FrameRateName) => fc.integer({ min: 0, max: model(name).day - 1 });
const aFrame = rateName.chain((name) => fc.tuple(fc.constant(name), frameOfDay(name)));
/** Any label, valid or not at the rate. */
const aLabel = rateName.chain((name) =>
  fc.tuple(
    fc.constant(name),
    fc.tuple(
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: model(name).fps - 1 }),
    ),
  ),
);

describe('against the block-counting model', () => {
  it('has the model’s day length at every rate', () => {
    for (const name of NAMES)
      expect([name, framesPerDay(FRAME_RATES[name])]).toEqual([name, model(name).day]);
  });

  it('shows every frame count as the model labels it, and reads the label back to the count', () => {
    fc.assert(
      fc.property(aFrame, ([name, n]) => {
        const rate = FRAME_RATES[name];
        const shown = formatTimecode(n, rate);
        expect(shown).toBe(text(name, label(name, n)));
        expect(parseTimecode(shown, rate)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every label the model has to the model’s count, and refuses the ones drop-frame skips', () => {
    fc.assert(
      fc.property(aLabel, ([name, fields]) => {
        const rate = FRAME_RATES[name];
        const expected = frameOf(name, fields);
        if (expected === undefined) {
          expect(() => parseTimecode(text(name, fields), rate)).toThrow(
            'does not exist in drop-frame timecode',
          );
        } else {
          expect(parseTimecode(text(name, fields), rate)).toBe(expected);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips frames → timecode → frames at every rate, including the first and last frame', () => {
    for (const name of NAMES) {
      const rate = FRAME_RATES[name];
      const { day } = model(name);
      for (const n of [0, 1, day - 1]) expect(parseTimecode(formatTimecode(n, rate), rate)).toBe(n);
      fc.assert(
        fc.property(frameOfDay(name), (n) => parseTimecode(formatTimecode(n, rate), rate) === n),
        { numRuns: 200 },
      );
    }
  });
});

describe('arithmetic and wrapping at 24 hours', () => {
  it('adding k frames is adding k to the count, modulo a day, whatever the size of k', () => {
    fc.assert(
      fc.property(aFrame, fc.integer({ min: -1e9, max: 1e9 }), ([name, n], k) => {
        const rate = FRAME_RATES[name];
        const { day } = model(name);
        const expected = (((n + k) % day) + day) % day;
        expect(addFrames(formatTimecode(n, rate), k, rate)).toBe(text(name, label(name, expected)));
      }),
      { numRuns: 1000 },
    );
  });

  it('a count a whole number of days away shows the same timecode', () => {
    fc.assert(
      fc.property(aFrame, fc.integer({ min: -1000, max: 1000 }), ([name, n], days) => {
        const rate = FRAME_RATES[name];
        expect(formatTimecode(n + days * model(name).day, rate)).toBe(formatTimecode(n, rate));
      }),
    );
  });

  it('the last frame of the day is followed by 00:00:00:00 and preceded by the one before', () => {
    for (const name of NAMES) {
      const rate = FRAME_RATES[name];
      const last = formatTimecode(model(name).day - 1, rate);
      expect(last).toBe(text(name, [23, 59, 59, model(name).fps - 1]));
      expect(addFrames(last, 1, rate)).toBe(text(name, [0, 0, 0, 0]));
      expect(addFrames(text(name, [0, 0, 0, 0]), -1, rate)).toBe(last);
    }
  });
});

describe('bad input', () => {
  const refuses = (fn: () => unknown, message: string) => {
    expect(fn).toThrow(TimecodeError);
    expect(fn).toThrow(message);
  };

  it('refuses hours, minutes, seconds and frames out of range, saying which', () => {
    fc.assert(
      fc.property(
        rateName,
        fc.integer({ min: 24, max: 99 }),
        fc.integer({ min: 60, max: 99 }),
        (name, h, ms) => {
          const rate = FRAME_RATES[name];
          const { fps } = model(name);
          refuses(() => parseTimecode(text(name, [h, 0, 0, 0]), rate), 'hours run from 00 to 23');
          refuses(() => parseTimecode(text(name, [0, ms, 0, 0]), rate), 'minutes run from 00 to 59');
          refuses(() => parseTimecode(text(name, [0, 0, ms, 0]), rate), 'seconds run from 00 to 59');
          refuses(
            () => parseTimecode(text(name, [0, 0, 0, fps]), rate),
            `frame ${fps} does not exist at ${fps} frames per second`,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a separator that disagrees with the rate’s drop-frame counting', () => {
    fc.assert(
      fc.property(aFrame, ([name, n]) => {
        const rate: FrameRate = FRAME_RATES[name];
        const shown = formatTimecode(n, rate);
        const other = rate.dropFrame ? shown.replace(';', ':') : shown.replace(/:(\d+)$/, ';$1');
        refuses(
          () => parseTimecode(other, rate),
          rate.dropFrame ? 'but the rate is drop-frame: write ";"' : 'is drop-frame (";" before the frames)',
        );
      }),
      { numRuns: 300 },
    );
  });

  it('refuses text that is not a timecode', () => {
    for (const bad of [
      '',
      '01:00:00',
      '01:00:00:00:00',
      'aa:bb:cc:dd',
      '001:00:00:00',
      '01:0:00:00',
      '01:00:00:0',
    ]) {
      refuses(() => parseTimecode(bad, FRAME_RATES['25']), 'is not a timecode (HH:MM:SS:FF)');
    }
  });
});

describe('every frame of a day', () => {
  // Walks the day like a clock: frames count up to fps − 1, seconds and minutes roll over, and
  // a minute not divisible by ten starts at frame `drop`. The module's fields for each count
  // are compared in bulk; one expectation per rate, not one per frame.
  it.each(['29.97DF', '59.94DF'] as const)(
    'labels all %s frames like a clock, and reads each back',
    (name) => {
      const rate = FRAME_RATES[name];
      const { fps, drop, day } = model(name);
      let [h, m, s, f] = [0, 0, 0, 0];
      let wrong = 0;
      let firstWrong = '';
      for (let n = 0; n < day; n += 1) {
        const got = fieldsFromFrames(n, rate);
        if (
          got.hours !== h ||
          got.minutes !== m ||
          got.seconds !== s ||
          got.frames !== f ||
          framesFromFields(got, rate) !== n
        ) {
          wrong += 1;
          firstWrong ||= `frame ${n}: ${JSON.stringify(got)}, clock ${h}:${m}:${s}:${f}`;
        }
        f += 1;
        if (f === fps) {
          f = 0;
          s += 1;
          if (s === 60) {
            s = 0;
            m += 1;
            if (m === 60) {
              m = 0;
              h += 1;
            }
            if (m % 10 !== 0) f = drop;
          }
        }
      }
      expect({ wrong, firstWrong, end: [h, m, s, f] }).toEqual({
        wrong: 0,
        firstWrong: '',
        end: [24, 0, 0, 0],
      });
    },
    // About 0.2 s of CPU for 29.97 DF and 0.4 s for 59.94 DF; the margin is for a loaded machine.
    30_000,
  );
});
