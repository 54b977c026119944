import { parseAle } from '@rushes/engine/sidecar';
import { describe, expect, it } from 'vitest';
import { checkExportLink, exportLink, MAX_LINK_CLIPS, packIds, unpackIds } from '../src/exports/links.ts';
import {
  ascCells,
  fpsCell,
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
    const ale = parseAle(rollAle([clip], {}, { fpsNum: 24, fpsDen: 1 }));
    expect(ale.heading['FPS']).toBe('29.97');
    expect(ale.rows[0]!['Start']).toMatch(/;/);
    expect(ale.rows[0]!['Tracks']).toBe('VA1A2A3A4');
    expect(ale.rows[0]!['Checksum']).toBe('xxh64:abc md5:def');
    expect(rollCsv([clip], {})).toContain(`"'=HYPERLINK(""x"")"`);
    expect(spreadsheetSafe('-1+1')).toBe("'-1+1");
    expect(spreadsheetSafe('A001')).toBe('A001');
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
