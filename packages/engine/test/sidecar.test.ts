import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAle, writeAle } from '../src/sidecar/ale.ts';
import { parseAscSop, parseCdl } from '../src/sidecar/cdl.ts';
import { parseCsv, writeCsv } from '../src/sidecar/csv.ts';

const samples = path.resolve(import.meta.dirname, '../../../../shared/samples');
const read = (...p: string[]) => readFile(path.join(samples, ...p));

describe('ASC CDL', () => {
  it('reads a ColorDecisionList with odd number forms, an empty id and a missing id', async () => {
    const cdl = parseCdl(await read('cdl/ocio_cdl_test1.cdl'));
    expect(cdl.kind).toBe('ColorDecisionList');
    expect(cdl.corrections).toHaveLength(5);
    expect(cdl.corrections[0]).toMatchObject({
      id: 'cc0001',
      slope: [1, 1, 0.9],
      offset: [-0.03, -0.02, 0],
      power: [1.25, 1, 1],
      saturation: 1.7,
      mediaRef: 'some/Project/image.dpx',
    });
    expect(cdl.corrections[3]).toMatchObject({ id: '', slope: [1.2, 1.1, 1], saturation: 1 });
    expect(cdl.corrections[4]).toMatchObject({
      slope: [1, 1, 1],
      offset: [0, 0, 0],
      power: [1, 1, 1],
      saturation: 0,
    });
    expect(cdl.corrections[4]!.id).toBeUndefined();
  });

  it('reads a collection, a single correction, and the ASC_SOP element variant', async () => {
    const ccc = parseCdl(await read('cdl/ocio_cdl_test1.ccc'));
    expect(ccc.kind).toBe('ColorCorrectionCollection');
    expect(ccc.corrections[0]).toMatchObject({ id: 'cc0001', saturation: 1.7 });
    expect(parseCdl(await read('cdl/ocio_cdl_test1.cc')).corrections).toEqual([
      expect.objectContaining({
        id: 'foo',
        slope: [1.1, 1.2, 1.3],
        offset: [2.1, 2.2, 2.3],
        power: [3.1, 3.2, 3.3],
        saturation: 0.7,
      }),
    ]);
    expect(parseCdl(await read('cdl/ocio_cdl_test_ASC_SOP.cc')).corrections[0]).toMatchObject({
      slope: [1.1, 1.2, 1.3],
      saturation: 0.42,
    });
  });

  it('detects the kind by content, whatever the extension, including SATNode and ASC_SAT', () => {
    const bare =
      '<ColorCorrection id="x"><SOPNode><Slope>1 1 1</Slope></SOPNode><SATNode><Saturation>0.5</Saturation></SATNode></ColorCorrection>';
    expect(parseCdl(Buffer.from(bare)).corrections[0]!.saturation).toBe(0.5);
    const asc =
      '<ColorCorrectionCollection><ColorCorrection><ASC_SAT><Saturation>1.2</Saturation></ASC_SAT></ColorCorrection></ColorCorrectionCollection>';
    expect(parseCdl(Buffer.from(asc)).corrections[0]!.saturation).toBe(1.2);
  });

  it('refuses values the spec forbids, and other XML, with a reason', () => {
    expect(() =>
      parseCdl(Buffer.from('<ColorCorrection><SOPNode><Slope>1 1</Slope></SOPNode></ColorCorrection>')),
    ).toThrow('<Slope> must hold 3 numbers');
    expect(() =>
      parseCdl(Buffer.from('<ColorCorrection><SOPNode><Power>1 0 1</Power></SOPNode></ColorCorrection>')),
    ).toThrow('power must be positive');
    expect(() => parseCdl(Buffer.from('<hashlist/>'))).toThrow('not an ASC CDL file');
  });

  it('reads ASC_SOP as ALEs and EDLs write it', () => {
    expect(parseAscSop('(0.8714 0.9334 0.9947)(-0.087 -0.0922 -0.0808)(0.9988 1.0218 1.0101)')).toEqual({
      slope: [0.8714, 0.9334, 0.9947],
      offset: [-0.087, -0.0922, -0.0808],
      power: [0.9988, 1.0218, 1.0101],
    });
    expect(parseAscSop('(1 1 1) (0 0 0)')).toBeUndefined();
  });
});

describe('ALE', () => {
  it('reads a Media Composer bin export: 129 columns, 4 rows, blank first column', async () => {
    const ale = parseAle((await read('ale/otio_sample.ale')).toString('utf8'));
    expect(ale.heading).toMatchObject({ FPS: '24', FIELD_DELIM: 'TABS', VIDEO_FORMAT: '1080' });
    expect(ale.columns).toHaveLength(129);
    expect(ale.rows).toHaveLength(4);
    expect(ale.rows[0]).toMatchObject({ Name: 'test_017056', Color: '', Tracks: 'V' });
    expect(ale.rows[0]!['Start']).toBe('01:00:00:00');
  });

  it('reads RED dailies with ASC_SOP and ASC_SAT at 23.976', async () => {
    const ale = parseAle((await read('ale/otio_sample_cdl.ale')).toString('utf8'));
    expect(ale.heading['FPS']).toBe('23.976');
    expect(ale.columns).toHaveLength(17);
    expect(ale.rows[0]).toMatchObject({
      Name: 'A005_C010_0501J0',
      Start: '17:49:33:01',
      End: '17:49:35:10',
      ASC_SAT: '0.9',
    });
    expect(parseAscSop(ale.rows[0]!['ASC_SOP']!)?.slope).toEqual([0.8714, 0.9334, 0.9947]);
  });

  it('writes what it reads, and keeps tabs and line breaks out of cells', async () => {
    const ale = parseAle((await read('ale/otio_sample_cdl.ale')).toString('utf8'));
    expect(parseAle(writeAle(ale))).toEqual(ale);
    const written = writeAle({
      heading: { FPS: '25' },
      columns: ['Name', 'Comments'],
      rows: [{ Name: 'A001C001', Comments: 'soft\tfocus\nretake' }],
    });
    expect(written).toBe(
      'Heading\nFIELD_DELIM\tTABS\nFPS\t25\n\nColumn\nName\tComments\n\nData\nA001C001\tsoft focus retake\n',
    );
  });

  it('refuses a file without columns', () => {
    expect(() => parseAle('Heading\nFPS\t24\n')).toThrow('no Column section');
  });
});

describe('CSV', () => {
  it('reads the recorder vendor’s sound report with CR line endings', async () => {
    const { columns, rows } = parseCsv((await read('bwf/WaveAgentSoundReport.csv')).toString('utf8'), {
      isHeader: (fields) => fields.includes('File Name'),
    });
    expect(columns.slice(0, 4)).toEqual(['File Name', 'Channels', 'Tape', 'Scene']);
    // The recorder's own start timecodes: the ground truth for our bext reading.
    const take = (name: string) => rows.find((r) => r['File Name'] === name);
    expect(take('A101_1.WAV')).toMatchObject({
      Scene: 'A101',
      Take: '01',
      'Start TC': '12:39:59:00',
      Tape: '18Y12M31',
    });
    expect(take('A101_4.WAV')?.['Start TC']).toBe('12:40:15:00');
  });

  it('round-trips quotes, commas and line breaks', () => {
    const rows = [
      { Name: 'A001C001', Note: 'He said "cut", then "print"', Take: '3' },
      { Name: 'x,y', Note: 'two\nlines', Take: '' },
    ];
    const text = writeCsv(['Name', 'Note', 'Take'], rows);
    expect(text.split('\r\n')[1]).toBe('A001C001,"He said ""cut"", then ""print""",3');
    expect(parseCsv(text)).toEqual({ columns: ['Name', 'Note', 'Take'], rows });
  });
});
