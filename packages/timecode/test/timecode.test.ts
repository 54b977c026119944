import { describe, expect, it } from 'vitest';
import {
  FRAME_RATES,
  formatFrameRate,
  frameRate,
  framesPerDay,
  parseFrameRate,
  addFrames,
  formatTimecode,
  frameAtSeconds,
  framesFromFields,
  parseTimecode,
  parseTimecodeFields,
  Timecode,
  TimecodeError,
  TimecodeRange,
  timecodeAtSeconds,
  wrapFrames,
  type FrameRateName,
} from '../src/index.ts';

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
    ['119.88', 120000, 1001, false],
    ['100', 100, 1, false],
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
    expect(() => tc('00:00:00;00', '25')).toThrow(
      'is drop-frame (";" before the frames) but the rate is not',
    );
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

  it('refuses ":" before the frames at a drop-frame rate, saying to write ";"', () => {
    expect(() => tc('01:00:00:00', '29.97DF')).toThrow(
      '"01:00:00:00" is non-drop-frame (":" before the frames) but the rate is drop-frame: write ";"',
    );
    expect(parseTimecode('01:00:00.00', R['29.97DF'])).toBe(107_892);
  });

  it('reads fields without a rate, and checks them against one', () => {
    expect(parseTimecodeFields(' 14:03:10;02 ')).toEqual({
      hours: 14,
      minutes: 3,
      seconds: 10,
      frames: 2,
      dropFrame: true,
    });
    expect(parseTimecodeFields('14:03:10.02').dropFrame).toBeUndefined();
    expect(() => parseTimecodeFields('23:59:60:00')).toThrow('seconds run from 00 to 59');
    const fields = { hours: 0, minutes: 1, seconds: 0, frames: 1 };
    expect(() => framesFromFields(fields, R['29.97DF'])).toThrow(
      '"00:01:00;01" does not exist in drop-frame timecode',
    );
    expect(framesFromFields(fields, R['29.97'])).toBe(1_801);
    expect(() => framesFromFields({ ...fields, frames: 30 }, R['30'])).toThrow('frame 30 does not exist');
  });

  it('formats, adds and counts with plain numbers', () => {
    expect(formatTimecode(107_892, R['29.97DF'])).toBe('01:00:00;00');
    expect(formatTimecode(-1, R['29.97DF'])).toBe('23:59:59;29');
    expect(addFrames('00:00:59;29', 1, R['29.97DF'])).toBe('00:01:00;02');
    expect(addFrames('00:00:00:00', framesPerDay(R['25']) * 3 + 1, R['25'])).toBe('00:00:00:01');
    expect(formatTimecode(119, R['120'])).toBe('00:00:00:119');
    expect(formatTimecode(99, R['100'])).toBe('00:00:00:99');
    expect(wrapFrames(framesPerDay(R['59.94DF']), R['59.94DF'])).toBe(0);
  });
});

describe('what the player shows', () => {
  const ntsc = { num: 30000, den: 1001 };
  it('adds the frames played to the start, dropping frame numbers when the start is drop-frame', () => {
    expect(timecodeAtSeconds('01:00:59;29', 0, ntsc)).toBe('01:00:59;29');
    expect(timecodeAtSeconds('01:00:59;29', 1001 / 30000, ntsc)).toBe('01:01:00;02');
    // An hour of 29.97 DF is 107,892 frames: the display is an hour on, not 108 frames off.
    expect(timecodeAtSeconds('00:00:00;00', (107_892 * 1001) / 30000, ntsc)).toBe('01:00:00;00');
    expect(timecodeAtSeconds('01:00:59:29', 1001 / 30000, ntsc)).toBe('01:01:00:00');
    expect(timecodeAtSeconds(null, 1, { num: 24, den: 1 })).toBe('00:00:01:00');
    expect(timecodeAtSeconds('23:59:59:23', 1 / 24, { num: 24, den: 1 })).toBe('00:00:00:00');
  });

  it('shows frame k at k frame durations even when the time was rounded to the microsecond', () => {
    expect(frameAtSeconds(0.066733, ntsc)).toBe(2);
    expect(frameAtSeconds(0.0666, ntsc)).toBe(1);
    expect(() => timecodeAtSeconds('01:00:00;00', 0, { num: 25, den: 1 })).toThrow(
      'drop-frame timecode exists only at 29.97 and 59.94',
    );
    expect(() => timecodeAtSeconds('01:00:00:00', Number.NaN, ntsc)).toThrow('invalid time');
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
