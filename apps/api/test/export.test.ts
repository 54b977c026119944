import { parseAle } from '@rushes/engine/sidecar';
import { describe, expect, it } from 'vitest';
import { checkExportLink, exportLink, MAX_LINK_CLIPS, packIds, unpackIds } from '../src/exports/links.ts';
import {
  ascCells,
  fpsCell,
  AleRateError,
  aleRates,
  rollAle,
  rollCsv,
  spreadsheetSafe,
  tracksCell,
  type ExportClip,
} from '../src/exports/roll-export.ts';
import { safeFileName } from '../src/exports/routes.ts';
import { downloadName } from '../src/modules/rendition/rendition.resolver.ts';

const clip: ExportClip = {
  fileName: '=HYPERLINK("x").mov',
  originalPath: 'Clips/x.mov',
  reel: 'A001',
  startFrame: 86_400 * 30 - 2 * 60 * 30, // an hour's worth of drop-frame is not a round number
  durationFrames: 48,
  fpsNum: 30000,
  fpsDen: 1001,
  width: 1920,
  height: 1080,
  codec: 'prores',
  camera: 'ARRI ALEXA 35',
  colorSpace: 'arri_logc4_awg4',
  checksums: { xxh64: 'abc', md5: 'def' },
  metadata: {
    time: { dropFrame: { value: true, source: 'stream' } },
    audio: { channels: { value: 4, source: 'stream' } },
  },
};

describe('roll exports', () => {
  it('formats the Avid cells: FPS, Tracks, ASC_SOP/ASC_SAT', () => {
    expect(fpsCell(24000, 1001)).toBe('23.976');
    expect(fpsCell(25, 1)).toBe('25');
    expect(fpsCell(null, null)).toBe('');
    expect(tracksCell(true, 2)).toBe('VA1A2');
    expect(tracksCell(false, 1)).toBe('A1');
    expect(
      ascCells({ look: { slope: [1.2, 1, 0.95], offset: [0, -0.01, 0], power: [1, 1, 1], saturation: 0.8 } }),
    ).toEqual({
      sop: '(1.2 1 0.95)(0 -0.01 0)(1 1 1)',
      sat: '0.8',
    });
    expect(ascCells({})).toEqual({ sop: '', sat: '' });
  });

  it('writes drop-frame timecodes with ; and keeps formulas out of the CSV', () => {
    const ale = parseAle(rollAle([clip], {}));
    expect(ale.heading['FPS']).toBe('29.97');
    expect(ale.rows[0]!['Start']).toMatch(/;/);
    expect(ale.rows[0]!['Tracks']).toBe('VA1A2A3A4');
    expect(ale.rows[0]!['Checksum']).toBe('xxh64:abc md5:def');
    expect(rollCsv([clip], {})).toContain(`"'=HYPERLINK(""x"")"`);
    expect(spreadsheetSafe('-1+1')).toBe("'-1+1");
    expect(spreadsheetSafe('A001')).toBe('A001');
  });

  it('writes one ALE per frame rate, refusing a mixed roll in one and leaving out clips without a timecode', () => {
    const at = (fpsNum: number, fpsDen: number, drop: boolean, name: string): ExportClip => ({
      ...clip,
      fileName: `${name}.mov`,
      fpsNum,
      fpsDen,
      startFrame: 90_000,
      metadata: { time: { dropFrame: { value: drop, source: 'stream' } } },
    });
    const failed: ExportClip = {
      ...clip,
      fileName: 'B.mov',
      reel: null,
      startFrame: null,
      fpsNum: null,
      fpsDen: null,
      metadata: null,
    };
    const roll = [
      at(24000, 1001, false, 'A'),
      at(30000, 1001, true, 'C'),
      at(24000, 1001, false, 'D'),
      at(60000, 1001, true, 'E'),
      at(25, 1, false, 'F'),
      failed,
    ];
    expect(aleRates(roll)).toEqual([
      { rate: '23.976', clips: 2 },
      { rate: '29.97DF', clips: 1 },
      { rate: '59.94DF', clips: 1 },
      { rate: '25', clips: 1 },
    ]);
    expect(() => rollAle(roll, {})).toThrow(
      new AleRateError(
        'This roll has clips at 4 frame rates — 23.976 (2 clips), 29.97DF (1 clip), 59.94DF (1 clip), 25 (1 clip) — and an ALE holds one: export one ALE per rate.',
      ),
    );
    const df = parseAle(rollAle(roll, {}, '29.97DF'));
    expect(df.heading['FPS']).toBe('29.97');
    expect(df.rows.map((r) => [r['Name'], r['Start'], r['FPS']])).toEqual([['C', '00:50:03;00', '29.97']]);
    const film = parseAle(rollAle(roll, {}, '23.976'));
    expect(film.heading['FPS']).toBe('23.976');
    expect(film.rows.map((r) => r['Start'])).toEqual(['01:02:30:00', '01:02:30:00']);
    expect(() => rollAle(roll, {}, '48')).toThrow(
      /^No clip of this roll is at 48; its rates: 23.976 \(2 clips\)/,
    );
    // The failed clip is in no ALE, but in the CSV — with no Tape made up from its name.
    expect(() => rollAle([failed], {})).toThrow(
      /^No clip of this roll has both a start timecode and a frame rate/,
    );
    const csv = rollCsv(roll, {});
    expect(csv.split('\n').filter((l) => l.startsWith('B,'))).toEqual([
      expect.stringMatching(/^B,V,,,,,B\.mov,/),
    ]);
  });

  it('signs links for one roll and format, which expire', () => {
    const roll = '11111111-1111-4111-8111-111111111111';
    const link = new URL(
      exportLink('s'.repeat(32), 'http://api/', roll, 'zip', { profile: 'avid' }, 1_000_000),
    );
    expect(link.pathname).toBe(`/exports/rolls/${roll}.zip`);
    const query = Object.fromEntries(link.searchParams);
    expect(checkExportLink('s'.repeat(32), roll, 'zip', query, 1_000_000)).toBe('ok');
    expect(checkExportLink('s'.repeat(32), roll, 'ale', query, 1_000_000)).toBe('invalid');
    expect(checkExportLink('s'.repeat(32), roll, 'zip', { ...query, profile: 'review' }, 1_000_000)).toBe(
      'invalid',
    );
    expect(checkExportLink('s'.repeat(32), roll, 'zip', query, 1_000_000 + 16 * 60_000)).toBe('expired');
    // An ALE link names its rate, signed with it.
    const ale = Object.fromEntries(
      new URL(exportLink('s'.repeat(32), 'http://api/', roll, 'ale', { rate: '29.97DF' }, 0)).searchParams,
    );
    expect(ale['rate']).toBe('29.97DF');
    expect(checkExportLink('s'.repeat(32), roll, 'ale', ale, 0)).toBe('ok');
    expect(checkExportLink('s'.repeat(32), roll, 'ale', { ...ale, rate: '25' }, 0)).toBe('invalid');
    expect(checkExportLink('s'.repeat(32), roll, 'ale', { ...ale, rate: undefined }, 0)).toBe('invalid');
  });

  it('carries a selection of clips in a zip link, signed with it', () => {
    const roll = '11111111-1111-4111-8111-111111111111';
    const clips = ['22222222-2222-4222-8222-222222222222', '0a0b0c0d-0e0f-4000-8000-00000000ff01'];
    const link = new URL(
      exportLink('s'.repeat(32), 'http://api/', roll, 'zip', { profile: 'review', clips }, 0),
    );
    const query = Object.fromEntries(link.searchParams);
    expect(query['clips']).toHaveLength(43);
    expect(unpackIds(query['clips']!)).toEqual(clips);
    expect(checkExportLink('s'.repeat(32), roll, 'zip', query, 0)).toBe('ok');
    const other = packIds([clips[0]!]);
    expect(checkExportLink('s'.repeat(32), roll, 'zip', { ...query, clips: other }, 0)).toBe('invalid');
    expect(checkExportLink('s'.repeat(32), roll, 'zip', { ...query, clips: undefined }, 0)).toBe('invalid');
    expect(checkExportLink('s'.repeat(32), roll, 'zip', { ...query, clips: 'AAAA' }, 0)).toBe('invalid');
    expect(unpackIds('not base64!')).toBeUndefined();
    expect(unpackIds('')).toBeUndefined();
    expect(unpackIds(packIds(Array.from({ length: MAX_LINK_CLIPS + 1 }, () => clips[0]!)))).toBeUndefined();
  });

  it('names downloads after the clip, safely', () => {
    expect(downloadName('A001C003_230512_R1AB.mov', 'proxy:review', 'x/review.mp4')).toBe(
      'A001C003_230512_R1AB_proxy-review.mp4',
    );
    expect(safeFileName('../A "roll"; rm -rf')).toBe('__A_roll_rm_-rf');
  });
});
