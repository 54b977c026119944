import { describe, expect, it } from 'vitest';
import {
  FRAME_RATES,
  formatFrameRate,
  frameRate,
  framesPerDay,
  nominalFps,
  parseFrameRate,
  Timecode,
  TimecodeError,
  TimecodeRange,
  type FrameRateName,
} from '../src/timecode/index.ts';

const R = FRAME_RATES;
const tc = (text: string, name: FrameRateName) => Timecode.parse(text, R[name]);

describe('frame rates', () => {
  it.each([
    ['23.976', 24000, 1001, false],
    ['23.98', 24000, 1001, false],
    ['24000/1001', 24000, 1001, false],
    ['29.97DF', 30000, 1001, true],
    ['29.97 NDF', 30000, 1001, false],
    ['59.94 DF', 60000, 1001, true],
    ['25', 25, 1, false],
    ['47.952', 48000, 1001, false],
  ])('reads %s', (text, num, den, dropFrame) => {
    expect(parseFrameRate(text)).toEqual({ num, den, dropFrame });
  });

  it('refuses rates that do not exist and drop-frame where it does not exist', () => {
    expect(() => parseFrameRate('fast')).toThrow(TimecodeError);
    expect(() => parseFrameRate('23.5')).toThrow('unrecognized frame rate "23.5"');
    expect(() => parseFrameRate('25DF')).toThrow('drop-frame timecode exists only at 29.97 and 59.94');
    expect(() => frameRate(24000, 1001, true)).toThrow(TimecodeError);
    expect(() => frameRate(0, 1)).toThrow('invalid frame rate 0/1');
  });

  it('names rates the way people say them', () => {
    expect(formatFrameRate(R['23.976'])).toBe('23.976');
    expect(formatFrameRate(R['29.97DF'])).toBe('29.97DF');
    expect(formatFrameRate(R['25'])).toBe('25');
  });

  it('knows how many frame numbers a day has', () => {
    expect(framesPerDay(R['24'])).toBe(2_073_600);
    expect(framesPerDay(R['23.976'])).toBe(2_073_600);
    expect(framesPerDay(R['29.97'])).toBe(2_592_000);
    expect(framesPerDay(R['29.97DF'])).toBe(2_589_408);
    expect(framesPerDay(R['59.94DF'])).toBe(5_178_816);
  });
});

describe('timecode ↔ frames', () => {
  it.each([
    ['01:00:00:00', '24', 86_400],
    ['01:00:00:00', '23.976', 86_400],
    ['01:00:00:00', '25', 90_000],
    ['00:01:00;02', '29.97DF', 1_800],
    ['00:10:00;00', '29.97DF', 17_982],
    ['01:00:00;00', '29.97DF', 107_892],
    ['00:01:00;04', '59.94DF', 3_600],
    ['01:00:00;00', '59.94DF', 215_784],
    ['23:59:59;29', '29.97DF', 2_589_407],
    ['10:00:00:00', '30', 1_080_000],
  ] as const)('%s at %s is frame %i', (text, rate, frames) => {
    expect(tc(text, rate).frames).toBe(frames);
    expect(Timecode.fromFrames(frames, R[rate]).toString()).toBe(text);
  });

  it('skips frame numbers 0 and 1 at each minute but every tenth in 29.97 drop-frame', () => {
    expect(tc('00:00:59;29', '29.97DF').add(1).toString()).toBe('00:01:00;02');
    expect(tc('00:09:59;29', '29.97DF').add(1).toString()).toBe('00:10:00;00');
    expect(tc('00:10:59;29', '29.97DF').add(1).toString()).toBe('00:11:00;02');
    expect(tc('00:01:00;02', '29.97DF').add(-1).toString()).toBe('00:00:59;29');
    expect(tc('00:59:59;59', '59.94DF').add(1).toString()).toBe('01:00:00;00');
    expect(tc('00:00:59;59', '59.94DF').add(1).toString()).toBe('00:01:00;04');
  });

  it('refuses the frame numbers drop-frame skips, and fields out of range', () => {
    expect(() => tc('00:01:00;00', '29.97DF')).toThrow('does not exist in drop-frame timecode');
    expect(() => tc('00:01:00;03', '59.94DF')).toThrow('does not exist in drop-frame timecode');
    expect(() => tc('00:00:00:24', '24')).toThrow('frame 24 does not exist at 24 frames per second');
    expect(() => tc('24:00:00:00', '25')).toThrow('out of range');
    expect(() => tc('00:60:00:00', '25')).toThrow('out of range');
    expect(() => tc('00:00:00;00', '25')).toThrow('is drop-frame but the rate is not');
    expect(() => tc('1:2:3:4', '25')).toThrow('is not a timecode');
    expect(() => Timecode.fromFrames(1.5, R['25'])).toThrow('must be an integer');
  });

  it('accepts the separators tools write', () => {
    expect(tc('01:00:00.00', '25').frames).toBe(90_000);
    expect(tc('01:00:00,00', '29.97DF').frames).toBe(107_892);
    expect(tc('1:00:00:00', '25').frames).toBe(90_000);
  });

  it('wraps around midnight both ways', () => {
    expect(tc('23:59:59:24', '25').add(1).toString()).toBe('00:00:00:00');
    expect(tc('00:00:00:00', '25').add(-1).toString()).toBe('23:59:59:24');
    expect(tc('23:59:59;29', '29.97DF').add(1).toString()).toBe('00:00:00;00');
  });

  // Every frame of the day, for every rate: the display advances exactly like a clock
  // (with drop-frame's skips and nothing else), and parsing the display gives the frame back.
  it.each(Object.keys(R) as FrameRateName[])('counts every frame of a day at %s like a clock', (name) => {
    const rate = R[name];
    const fps = nominalFps(rate);
    const drop = rate.dropFrame ? fps / 15 : 0;
    const day = framesPerDay(rate);
    let expected = { hours: 0, minutes: 0, seconds: 0, frames: 0 };
    for (let n = 0; n < day; n += 1) {
      const fields = Timecode.fromFrames(n, rate).fields;
      if (
        fields.frames !== expected.frames ||
        fields.seconds !== expected.seconds ||
        fields.minutes !== expected.minutes ||
        fields.hours !== expected.hours
      ) {
        throw new Error(
          `frame ${n} at ${name}: got ${JSON.stringify(fields)}, expected ${JSON.stringify(expected)}`,
        );
      }
      if (n % 9973 === 0)
        expect(Timecode.parse(Timecode.fromFrames(n, rate).toString(), rate).frames).toBe(n);
      // The next display value.
      let { hours, minutes, seconds, frames } = expected;
      frames += 1;
      if (frames === fps) {
        frames = 0;
        seconds += 1;
        if (seconds === 60) {
          seconds = 0;
          minutes += 1;
          if (minutes === 60) {
            minutes = 0;
            hours += 1;
          }
          if (minutes % 10 !== 0) frames = drop;
        }
      }
      expected = { hours, minutes, seconds, frames };
    }
    expect(expected).toEqual({ hours: 24, minutes: 0, seconds: 0, frames: 0 });
  });
});

describe('real time and audio samples', () => {
  it('turns a Broadcast WAV TimeReference into the recorder’s start timecode', () => {
    // Sound Devices 702T at 23.976 and a Zoom F8 at 25, as in ../shared/samples/bwf.
    expect(Timecode.fromSamples(2_190_940_753n, 48_000, R['23.976']).toString()).toBe('12:39:59:00');
    expect(Timecode.fromSamples(3_917_280_000n, 48_000, R['25']).toString()).toBe('22:40:10:00');
  });

  it('handles sample counts beyond 2^53 exactly', () => {
    const day = 86_400n * 48_000n;
    const big = day * 200_000_000n + 48_000n; // one second after some midnight, far in the future
    expect(Timecode.fromSamples(big, 48_000, R['25']).toString()).toBe('00:00:01:00');
  });

  it('converts to and from seconds of real time', () => {
    expect(tc('01:00:00:00', '23.976').toSeconds()).toBeCloseTo(3603.6, 6);
    expect(Timecode.fromSeconds(3603.6, R['23.976']).toString()).toBe('01:00:00:00');
    expect(Timecode.fromSeconds(1, R['25']).toString()).toBe('00:00:01:00');
  });
});

describe('arithmetic and ranges', () => {
  it('measures frames between timecodes of the same rate only', () => {
    expect(tc('01:00:10:00', '25').since(tc('01:00:00:00', '25'))).toBe(250);
    expect(tc('00:00:00:00', '25').since(tc('00:00:01:00', '25'))).toBe(-25);
    expect(() => tc('01:00:00:00', '25').since(tc('01:00:00:00', '24'))).toThrow('different rates');
  });

  it('compares by rate and frame', () => {
    expect(tc('01:00:00:00', '24').equals(tc('01:00:00:00', '24'))).toBe(true);
    expect(tc('01:00:00:00', '24').equals(tc('01:00:00:00', '23.976'))).toBe(false);
    expect(JSON.stringify({ start: tc('01:00:00;00', '29.97DF') })).toBe('{"start":"01:00:00;00"}');
  });

  it('gives a range its end, last frame, containment and overlap', () => {
    const clip = new TimecodeRange(tc('01:00:00:00', '24'), 48);
    expect(clip.end.toString()).toBe('01:00:02:00');
    expect(clip.last.toString()).toBe('01:00:01:23');
    expect(clip.contains(tc('01:00:01:23', '24'))).toBe(true);
    expect(clip.contains(tc('01:00:02:00', '24'))).toBe(false);
    expect(clip.contains(tc('00:59:59:23', '24'))).toBe(false);
    expect(clip.overlaps(new TimecodeRange(tc('01:00:01:23', '24'), 10))).toBe(true);
    expect(clip.overlaps(new TimecodeRange(tc('01:00:02:00', '24'), 10))).toBe(false);
    expect(clip.overlaps(new TimecodeRange(tc('00:59:59:00', '24'), 24))).toBe(false);
    expect(clip.overlaps(new TimecodeRange(tc('00:59:59:00', '24'), 25))).toBe(true);
    expect(TimecodeRange.inclusive(tc('01:00:00:00', '24'), tc('01:00:00:23', '24')).duration).toBe(24);
    expect(() => new TimecodeRange(tc('01:00:00:00', '24'), -1)).toThrow('invalid duration');
  });
});
