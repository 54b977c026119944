/** The web app's pure helpers: display formats, the player's timecode, card files, strip tiles, the roll page's query. */
import { describe, expect, it } from 'vitest';
import { byShootDay } from '../src/app/p/[code]/production.tsx';
import { lookText } from '../src/app/p/[code]/settings/settings.tsx';
import { columnsFor } from '../src/app/rolls/[id]/clip-grid.tsx';
import { tileAt } from '../src/app/scrub-thumb.tsx';
import { activeFilters, fromSearchParams, toClipFilter, toSearchParams } from '../src/lib/clip-query.ts';
import { bytes, clipCount, clock } from '../src/lib/format.ts';
import { frameStepSeconds, playerTimecode } from '../src/lib/timecode.ts';
import { cardFiles, isManifest } from '../src/lib/upload.ts';

describe('display', () => {
  it('formats bytes and durations', () => {
    expect([bytes(null), bytes(999), bytes(1_500), bytes(2_340_000_000)]).toEqual([
      '—',
      '999 B',
      '1.5 KB',
      '2.3 GB',
    ]);
    expect([clock(5), clock(65), clock(3_725), clock(Number.NaN)]).toEqual(['0:05', '1:05', '1:02:05', '—']);
    expect([clipCount(1_500, 200, false), clipCount(1, 1, true), clipCount(12, 12, true)]).toEqual([
      '1,500 clips · 200 loaded, more as you scroll',
      '1 clip matches',
      '12 clips match',
    ]);
  });

  it('describes a look the way a colourist reads a CDL', () => {
    expect(lookText({ slope: [1.1, 1, 0.9], offset: [0, 0, 0], power: [1, 1, 1], saturation: 0.8 })).toBe(
      'Slope (1.1 1 0.9) · Offset (0 0 0) · Power (1 1 1) · Saturation 0.8',
    );
    expect(lookText(undefined)).toMatch(/^No look/);
  });
});

describe('the player’s source timecode', () => {
  it('adds the played frames to the start timecode at the clip’s rate', () => {
    expect(playerTimecode('10:00:02:00', 0, { num: 25, den: 1 })).toBe('10:00:02:00');
    expect(playerTimecode('10:00:02:00', 0.32, { num: 25, den: 1 })).toBe('10:00:02:08');
    expect(playerTimecode('23:59:59:23', 1 / 24, { num: 24, den: 1 })).toBe('00:00:00:00');
    expect(playerTimecode(null, 1, { num: 24, den: 1 })).toBe('00:00:01:00');
    expect(playerTimecode('10:00:00:00', 1, null)).toBe('—');
    expect(playerTimecode('10:00', 1, { num: 24, den: 1 })).toBe('—');
  });

  it('counts drop-frame when the start is drop-frame: an hour of 29.97 DF later is an hour on', () => {
    const ntsc = { num: 30000, den: 1001 };
    expect(playerTimecode('00:00:59;29', 1001 / 30000, ntsc)).toBe('00:01:00;02');
    expect(playerTimecode('00:00:00;00', (107_892 * 1001) / 30000, ntsc)).toBe('01:00:00;00');
  });

  it('reads the end of playback of a 20-frame clip as its last frame, not the one after it', () => {
    const ntsc = { num: 30000, den: 1001 };
    const duration = 0.667333; // 20 frames, as Chromium reports it
    expect(playerTimecode('01:00:59;24', duration, ntsc)).toBe('01:01:00;16');
    expect(playerTimecode('01:00:59;24', duration, ntsc, duration)).toBe('01:01:00;15');
    expect(playerTimecode('01:00:59;24', 0.5, ntsc, duration)).toBe('01:01:00;10');
  });

  it('steps to the middle of a frame, within the clip, from a time rounded to the microsecond', () => {
    const ntsc = { num: 30000, den: 1001 };
    const middle = (frame: number) => ((frame + 0.5) * 1001) / 30000;
    expect(frameStepSeconds(0, 1, ntsc)).toBe(middle(1));
    expect(frameStepSeconds(0.033366, 1, ntsc)).toBe(middle(2)); // frame 1's start, truncated
    expect(frameStepSeconds(middle(6), -1, ntsc)).toBe(middle(5));
    expect(frameStepSeconds(middle(1), -30, ntsc)).toBe(middle(0));
    expect(frameStepSeconds(middle(19), 1, ntsc, 0.667333)).toBe(middle(19));
    expect(frameStepSeconds(0.667333, -1, ntsc, 0.667333)).toBe(middle(18)); // from the end of playback
    expect(frameStepSeconds(0.32, 1, { num: 25, den: 1 }, Number.NaN)).toBe(0.38);
  });
});

describe('a dropped card folder', () => {
  const file = (name: string) => new File(['x'], name.split('/').at(-1)!);
  it('becomes a roll named after the folder, with card paths, hidden files left out', () => {
    const card = cardFiles(
      [
        'A001/Clips/C002.mov',
        'A001/.DS_Store',
        'A001/Clips/._C001.mov',
        'A001/A001.mhl',
        'A001/Clips/C001.mov',
      ].map((p) => ({
        file: file(p),
        relativePath: p,
      })),
    );
    expect(card.rollName).toBe('A001');
    expect(card.files.map((f) => f.path)).toEqual(['A001.mhl', 'Clips/C001.mov', 'Clips/C002.mov']);
    expect(card.files.filter((f) => isManifest(f.path)).map((f) => f.path)).toEqual(['A001.mhl']);
  });
});

describe('hover scrubbing and the overview', () => {
  const tiles = [0, 1, 2, 3].map((i) => ({ startSeconds: i, x: i * 160, y: 0, width: 160, height: 90 }));
  it('picks the tile under the pointer, clamped to the strip', () => {
    expect([0, 0.3, 0.99, 1, -0.2].map((f) => tileAt(tiles, f)?.x)).toEqual([0, 160, 480, 480, 0]);
    expect(tileAt([], 0.5)).toBeUndefined();
  });

  it('groups rolls by shoot day, camera rolls before sound', () => {
    const roll = (name: string, kind: string, shootDay: string | null) => ({ name, kind, shootDay }) as never;
    const days = byShootDay([
      roll('S001', 'sound', '2026-11-20'),
      roll('A001', 'camera', '2026-11-20'),
      roll('B001', 'camera', null),
    ]);
    expect(days.map(([day, rolls]) => [day, rolls.map((r: { name: string }) => r.name)])).toEqual([
      ['2026-11-20', ['A001', 'S001']],
      ['No shoot day', ['B001']],
    ]);
  });
});

describe('the roll page’s query in the URL', () => {
  it('round-trips filters, sort and view, writing only what differs from the defaults', () => {
    const params = new URLSearchParams(
      'q=A001&state=ready,failed,bogus&camera=ALEXA&timecode=14:03:10:00&sort=SIZE&dir=DESC&view=grid',
    );
    const query = fromSearchParams(params);
    expect(query).toEqual({
      text: 'A001',
      states: ['ready', 'failed'],
      fields: { camera: 'ALEXA', timecode: '14:03:10:00' },
      sort: 'SIZE',
      direction: 'DESC',
      view: 'grid',
    });
    expect(toSearchParams(query).toString()).toBe(
      'q=A001&state=ready%2Cfailed&camera=ALEXA&timecode=14%3A03%3A10%3A00&sort=SIZE&dir=DESC&view=grid',
    );
    expect(toSearchParams(fromSearchParams(new URLSearchParams('sort=NOPE'))).toString()).toBe('');
    expect(activeFilters(query)).toBe(3);
  });

  it('builds the api’s ClipFilter, and explains what cannot be one instead of sending it', () => {
    const base = fromSearchParams(new URLSearchParams());
    expect(
      toClipFilter({
        ...base,
        text: '  C003 ',
        fields: { fps: '23.976', size: '3840 x 2160', timecode: '01:00:00;12', lens: ' ' },
      }),
    ).toEqual({
      filter: { text: 'C003', frameRate: 23.976, width: 3840, height: 2160, timecode: '01:00:00;12' },
      problems: {},
    });
    const { filter, problems } = toClipFilter({
      ...base,
      fields: { timecode: '14:03', fps: 'fast', size: '4K', from: 'yesterday' },
    });
    expect(filter).toEqual({});
    expect(Object.keys(problems).sort()).toEqual(['fps', 'from', 'size', 'timecode']);
    expect(problems.timecode).toMatch(/HH:MM:SS:FF/);
    expect(toClipFilter({ ...base, fields: { from: '2026-11-25T08:00' } }).filter.recordedFrom).toBe(
      new Date('2026-11-25T08:00').toISOString(),
    );
  });

  it('fits as many grid cards across as the width allows, at least one', () => {
    expect([columnsFor(100), columnsFor(176), columnsFor(364), columnsFor(1052)]).toEqual([1, 1, 2, 5]);
  });
});
