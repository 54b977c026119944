/** Editorial interchange: CMX 3600 EDL, OpenTimelineIO, ALE clips — hand-written and real files. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FRAME_RATES } from '@rushes/timecode';
import { describe, expect, it } from 'vitest';
import { InterchangeError, looksLikeEdl, parseEdl } from '../src/interchange/edl.ts';
import {
  looksLikeOtio,
  otioClips,
  parseOtio,
  type OtioClip,
  type OtioTrack,
} from '../src/interchange/otio.ts';
import {
  clipsFromEdl,
  clipsFromOtio,
  writeEdl,
  writeOtio,
  type InterchangeClip,
} from '../src/interchange/write.ts';
import { looksLikeAle, parseAle, readAle } from '../src/sidecar/ale.ts';
import { parseCdl } from '../src/sidecar/cdl.ts';

const samples = path.resolve(import.meta.dirname, '../../../../shared/samples');
const text = (...p: string[]) => readFile(path.join(samples, ...p), 'utf8');

describe('CMX 3600 EDL', () => {
  const edl = [
    'TITLE: Hand Written',
    'FCM: NON-DROP FRAME',
    '* a comment before the first event',
    '001  A001C003 V     C        14:02:10:05 14:02:12:05 01:00:00:00 01:00:02:00',
    '* FROM CLIP NAME:  A001C003_230512_R1AB.mov ',
    '* SOURCE FILE: /cards/A001/A001C003_230512_R1AB.mov',
    '* LOC: 01:00:00:12 RED     CHECK FOCUS',
    '* LOC: 01:00:01:00 no colour here',
    '*ASC_SOP (1.1 1.0 0.9)(0.01 0 -0.02)(1 1 1.05)',
    '*ASC_SAT 0.85',
    '002  A001C004 A2    C        14:05:00:00 14:05:01:00 01:00:02:00 01:00:03:00',
    '* ASC_SOP: (1.0 1.0 1.0) (0.0 0.0 0.0) (1.0 1.0 1.0)',
    '* ASC_SAT: (1.2)',
    '003  A001C004 AA    C        14:05:01:00 14:05:01:00 01:00:03:00 01:00:03:00',
    '003  A001C005 AA    D    012 14:06:00:00 14:06:02:00 01:00:03:00 01:00:05:00',
    '* FROM CLIP NAME:  A001C004',
    '* TO CLIP NAME:  A001C005',
    '004  BL       B     W001 015 00:00:00:00 00:00:01:00 01:00:05:00 01:00:06:00',
    '005  A001C006 V     C        14:07:00:00 14:07:01:00 01:00:06:00 01:00:07:00',
    'M2   A001C006       048.0                14:07:00:00',
    '* AVX2 EFFECT, RESIZE',
    '',
    'FCM: DROP FRAME',
    '006  A001C007 V     C        00:00:59;28 00:01:00;04 01:00:07;00 01:00:07;04',
  ].join('\r\n');

  it('reads title, FCM, events, transitions, speed, names, markers and CDL comments', () => {
    const document = parseEdl(edl);
    expect(document).toMatchObject({ format: 'CMX3600', title: 'Hand Written', dropFrame: false });
    expect(document.comments).toEqual(['a comment before the first event']);
    expect(document.events.map((e) => e.number)).toEqual(['001', '002', '003', '004', '005', '006']);
    const [first, second, third, fourth, fifth, sixth] = document.events;
    expect(first).toMatchObject({
      dropFrame: false,
      clipName: 'A001C003_230512_R1AB.mov',
      sourceFile: '/cards/A001/A001C003_230512_R1AB.mov',
      edits: [
        {
          reel: 'A001C003',
          track: 'V',
          transition: { type: 'cut' },
          sourceIn: '14:02:10:05',
          sourceOut: '14:02:12:05',
          recordIn: '01:00:00:00',
          recordOut: '01:00:02:00',
        },
      ],
      markers: [
        { timecode: '01:00:00:12', color: 'RED', comment: 'CHECK FOCUS' },
        { timecode: '01:00:01:00', comment: 'no colour here' },
      ],
      cdl: { slope: [1.1, 1, 0.9], offset: [0.01, 0, -0.02], power: [1, 1, 1.05], saturation: 0.85 },
    });
    expect(first!.markers[1]).not.toHaveProperty('color');
    expect(first!.edits[0]).not.toHaveProperty('frames');
    expect(second).toMatchObject({
      edits: [{ track: 'A2' }],
      cdl: { slope: [1, 1, 1], offset: [0, 0, 0], power: [1, 1, 1], saturation: 1.2 },
    });
    expect(third!.edits).toHaveLength(2);
    expect(third).toMatchObject({
      clipName: 'A001C004',
      toClipName: 'A001C005',
      edits: [
        { reel: 'A001C004', track: 'AA', transition: { type: 'cut' } },
        { reel: 'A001C005', transition: { type: 'dissolve', frames: 12 }, sourceIn: '14:06:00:00' },
      ],
    });
    expect(fourth!.edits[0]).toMatchObject({
      reel: 'BL',
      track: 'B',
      transition: { type: 'wipe', code: '001', frames: 15 },
    });
    expect(fifth).toMatchObject({
      speeds: [{ reel: 'A001C006', fps: 48, sourceIn: '14:07:00:00' }],
      comments: ['AVX2 EFFECT, RESIZE'],
    });
    expect(sixth).toMatchObject({ dropFrame: true, edits: [{ sourceIn: '00:00:59;28' }] });
  });

  it('counts frames at the rate the caller gives, drop-frame per FCM', () => {
    const document = parseEdl(edl, { rate: FRAME_RATES['29.97'] });
    expect(document.rate).toBe('30000/1001');
    // 01:00:02:00 at 30 NDF = 108060; 00:00:59;28 DF = 1798, 00:01:00;04 DF = 1802 (;00 and ;01 skipped).
    expect(document.events[0]!.edits[0]!.frames).toEqual({
      sourceIn: (14 * 3600 + 2 * 60 + 10) * 30 + 5,
      sourceOut: (14 * 3600 + 2 * 60 + 12) * 30 + 5,
      recordIn: 108000,
      recordOut: 108060,
    });
    expect(document.events[5]!.edits[0]!.frames).toMatchObject({ sourceIn: 1798, sourceOut: 1802 });
  });

  it('refuses drop-frame at a rate that has none, bad timecodes and unknown lines, naming the line', () => {
    expect(() => parseEdl(edl, { rate: FRAME_RATES['25'] })).toThrow(
      /line 24: drop-frame timecode exists only/,
    );
    expect(() => parseEdl('TITLE: x\n001  R V C 01:00:00:00 01:00:61:00 01:00:00:00 01:00:01:00\n')).toThrow(
      /line 2: .*seconds run from 00 to 59/,
    );
    expect(() => parseEdl('TITLE: x\n001  R V X 01:00:00:00 01:00:01:00 01:00:00:00 01:00:01:00\n')).toThrow(
      /line 2: unknown transition "X"/,
    );
    expect(() => parseEdl('TITLE: x\nFCM: HALF FRAME\n')).toThrow(/unknown FCM/);
    expect(() => parseEdl('TITLE: x\n001  R V C 01:00:00:00 01:00:01:00\n')).toThrow(InterchangeError);
    expect(() => parseEdl('hello world\n')).toThrow(/not an EDL line/);
    expect(() => parseEdl('TITLE: x\n001  R V C 1 2 3 4 5\n* ASC_SOP (1 1)(0 0 0)(1 1 1)\n')).toThrow();
  });

  it('reads the screening example (Avid export): 9 events, clip names, source files, LOC markers', async () => {
    const document = parseEdl(await text('edl/otio_screening_example.edl'), { rate: FRAME_RATES['24'] });
    expect(document.title).toBe('Example_Screening.01');
    expect(document.events).toHaveLength(9);
    expect(document.events.map((e) => e.clipName)).toEqual([
      'ZZ100_501 (LAY3)',
      'ZZ100_502A (LAY3)',
      'ZZ100_503A (LAY1)',
      'ZZ100_504C (LAY1)',
      'ZZ100_504B (LAY1)',
      'ZZ100_507C (LAY2)',
      'ZZ100_508 (LAY2)',
      'ZZ100_510 (LAY1)',
      'ZZ100_510B (LAY1)',
    ]);
    expect(document.events[0]!.sourceFile).toBe('ZZ100_501.LAY3.01');
    // OTIO's own reading of this file (tests/sample_data/screening_example.otio): the first
    // clip starts at frame 86501 and lasts 31 frames at 24.
    const frames = document.events[0]!.edits[0]!.frames!;
    expect(frames.sourceIn).toBe(86501);
    expect(frames.sourceOut - frames.sourceIn).toBe(31);
    expect(document.events[3]!.markers).toEqual([
      { timecode: '01:00:01:14', color: 'RED', comment: 'ANIM FIX NEEDED' },
      { timecode: '01:00:02:14', color: 'PINK', comment: 'ANIM FIX NEEDED' },
    ]);
    expect(document.events[6]!.markers).toEqual([{ timecode: '01:00:15:13', color: 'GREEN', comment: '' }]);
    expect(document.events[8]!.comments).toEqual(['AVX2 EFFECT, RESIZE']);
  });

  it('reads ASC_SOP/ASC_SAT written both ways to the same CDL', async () => {
    const document = parseEdl(await text('edl/otio_cdl.edl'));
    expect(document.events).toHaveLength(2);
    const expected = {
      slope: [0.1, 0.2, 0.3],
      offset: [1, -0.0122, 0.0305],
      power: [1, 0, 1],
      saturation: 0.9,
    };
    expect(document.events[0]!.cdl).toEqual(expected);
    expect(document.events[1]!.cdl).toEqual(expected);
    expect(document.events[1]!.sourceFile).toBe('ZZ100_501.LAY3.01');
  });

  it('reads dissolves as two-line events (CRLF file)', async () => {
    const document = parseEdl(await text('edl/otio_dissolve_test_4.edl'), { rate: FRAME_RATES['24'] });
    expect(document.title).toBe('TRANSITION_TEST_2');
    expect(document.events.map((e) => [e.number, e.edits.length])).toEqual([
      ['001', 1],
      ['002', 1],
      ['003', 2],
      ['004', 2],
      ['005', 1],
      ['060', 1],
    ]);
    expect(document.events[2]!.edits[1]).toMatchObject({
      reel: 'ABC0020.',
      transition: { type: 'dissolve', frames: 35 },
    });
    expect(document.events[3]!.edits[1]!.transition).toEqual({ type: 'dissolve', frames: 64 });
    expect(document.events[2]!.comments).toEqual(['BLEND, DISSOLVE']);
  });

  it('reads the 25 fps NDF and Avid examples', async () => {
    const at25 = parseEdl(await text('edl/otio_25fps.edl'), { rate: FRAME_RATES['25'] });
    expect(at25).toMatchObject({ title: 'SQ0002_A2', dropFrame: false });
    expect(at25.events).toHaveLength(4);
    expect(at25.events[3]!.edits[0]!.frames!.recordOut).toBe(19 * 25 + 21);
    expect(at25.events[0]).toMatchObject({ clipName: 'sq001_s001', comments: ['sq001_s001'] });
    const avid = parseEdl(await text('edl/otio_avid_example.edl'));
    expect(avid.title).toBe('Avid_Example.01');
    expect(avid.events[1]).toMatchObject({
      clipName: 'take_2',
      fromClip: 'S:\\path\\to\\ZZ100_502A.take_2.0101.exr',
    });
    expect(looksLikeEdl(await text('edl/otio_avid_example.edl'))).toBe(true);
    expect(looksLikeEdl(await text('ale/otio_sample.ale'))).toBe(false);
  });
});

const otio = (value: unknown) => JSON.stringify(value);
const rt = (value: number, rate = 24) => ({ OTIO_SCHEMA: 'RationalTime.1', rate, value });
const range = (start: number, duration: number, rate = 24) => ({
  OTIO_SCHEMA: 'TimeRange.1',
  start_time: rt(start, rate),
  duration: rt(duration, rate),
});

describe('OpenTimelineIO', () => {
  const timeline = {
    OTIO_SCHEMA: 'Timeline.1',
    name: 'Cut 3',
    metadata: { studio: { show: 'X' } },
    global_start_time: rt(86400),
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      name: 'tracks',
      source_range: null,
      children: [
        {
          OTIO_SCHEMA: 'Track.1',
          name: 'V1',
          kind: 'Video',
          children: [
            {
              OTIO_SCHEMA: 'Clip.1',
              name: 'A001C003',
              source_range: range(100, 48),
              media_reference: {
                OTIO_SCHEMA: 'ExternalReference.1',
                name: 'A001C003.mov',
                target_url: 'file:///cards/A001C003.mov',
                available_range: range(0, 480),
              },
              markers: [{ OTIO_SCHEMA: 'Marker.1', name: 'old', range: range(110, 0) }],
              effects: [
                {
                  OTIO_SCHEMA: 'LinearTimeWarp.1',
                  name: 'speed',
                  effect_name: 'LinearTimeWarp',
                  time_scalar: 2,
                },
              ],
            },
            {
              OTIO_SCHEMA: 'Transition.1',
              name: 'dissolve',
              transition_type: 'SMPTE_Dissolve',
              in_offset: rt(6),
              out_offset: rt(6),
            },
            { OTIO_SCHEMA: 'Gap.1', name: '', source_range: range(0, 24) },
            {
              OTIO_SCHEMA: 'Clip.2',
              name: 'A001C004',
              enabled: false,
              source_range: range(200, 24),
              media_references: {
                DEFAULT_MEDIA: { OTIO_SCHEMA: 'MissingReference.1', name: '', available_range: null },
                proxy: { OTIO_SCHEMA: 'VendorReference.4', name: 'p' },
              },
              active_media_reference_key: 'DEFAULT_MEDIA',
              markers: [
                { OTIO_SCHEMA: 'Marker.2', name: 'two', color: 'RED', marked_range: range(205, 0) },
                {
                  OTIO_SCHEMA: 'Marker.3',
                  name: 'three',
                  comment: 'fix',
                  color: { OTIO_SCHEMA: 'Color.1', name: 'PINK', r: 1, g: 0, b: 1, a: 1 },
                  marked_range: range(210, 2),
                },
              ],
            },
            { OTIO_SCHEMA: 'VendorThing.1', name: 'mystery' },
          ],
        },
        { OTIO_SCHEMA: 'Track.1', name: 'A1', kind: 'Audio', children: [] },
      ],
    },
  };

  it('reads every schema with its name and version; old versions as OTIO upgrades them', () => {
    const document = parseOtio(otio(timeline));
    expect(document.unknownSchemas).toEqual(['VendorReference.4', 'VendorThing.1']);
    const root = document.root;
    expect(root).toMatchObject({
      kind: 'Timeline',
      schema: 'Timeline.1',
      name: 'Cut 3',
      globalStartTime: { value: 86400, rate: 24 },
      metadata: { studio: { show: 'X' } },
    });
    if (root.kind !== 'Timeline') throw new Error('expected a timeline');
    const [video, audio] = root.tracks.children as [OtioTrack, OtioTrack];
    expect(video).toMatchObject({ kind: 'Track', schema: 'Track.1', trackKind: 'Video', name: 'V1' });
    expect(audio).toMatchObject({ trackKind: 'Audio', children: [] });
    expect(video.children.map((c) => ('schema' in c ? c.schema : ''))).toEqual([
      'Clip.1',
      'Transition.1',
      'Gap.1',
      'Clip.2',
      'VendorThing.1',
    ]);
    const [first, transition, gap, second, unknown] = video.children;
    expect(first).toMatchObject({
      kind: 'Clip',
      sourceRange: { startTime: { value: 100, rate: 24 }, duration: { value: 48, rate: 24 } },
      activeMediaReferenceKey: 'DEFAULT_MEDIA',
      mediaReferences: {
        DEFAULT_MEDIA: {
          kind: 'ExternalReference',
          schema: 'ExternalReference.1',
          targetUrl: 'file:///cards/A001C003.mov',
          availableRange: { startTime: { value: 0 }, duration: { value: 480 } },
        },
      },
      markers: [{ schema: 'Marker.1', name: 'old', markedRange: { startTime: { value: 110 } } }],
      effects: [{ schema: 'LinearTimeWarp.1', effectName: 'LinearTimeWarp', timeScalar: 2 }],
      enabled: true,
    });
    expect(transition).toEqual({
      kind: 'Transition',
      schema: 'Transition.1',
      name: 'dissolve',
      transitionType: 'SMPTE_Dissolve',
      inOffset: { value: 6, rate: 24 },
      outOffset: { value: 6, rate: 24 },
      metadata: {},
    });
    expect(gap).toMatchObject({ kind: 'Gap', sourceRange: { duration: { value: 24 } } });
    expect(second).toMatchObject({
      kind: 'Clip',
      enabled: false,
      mediaReferences: {
        DEFAULT_MEDIA: { kind: 'MissingReference' },
        proxy: { kind: 'Unknown', schema: 'VendorReference.4', name: 'p' },
      },
      markers: [
        { schema: 'Marker.2', color: { name: 'RED' } },
        { schema: 'Marker.3', comment: 'fix', color: { name: 'PINK', r: 1, g: 0, b: 1, a: 1 } },
      ],
    });
    expect(unknown).toEqual({ kind: 'Unknown', schema: 'VendorThing.1', name: 'mystery' });
    expect(otioClips(root).map((c: OtioClip) => c.name)).toEqual(['A001C003', 'A001C004']);
  });

  it("reads OTIO's bare Inf/NaN, a Clip.1 without reference, and refuses what is not OTIO", () => {
    const withInf = otio({
      OTIO_SCHEMA: 'Clip.1',
      name: 'Inf NaN "x"',
      metadata: { gain: 'INF' },
      source_range: null,
    }).replace('"INF"', '-Inf');
    const clip = parseOtio(withInf);
    expect(clip.root).toMatchObject({
      kind: 'Clip',
      name: 'Inf NaN "x"',
      metadata: { gain: null },
      mediaReferences: { DEFAULT_MEDIA: { kind: 'MissingReference' } },
    });
    expect(() => parseOtio('{"name": "x"}')).toThrow(/has no OTIO_SCHEMA/);
    expect(() => parseOtio('not json')).toThrow(/not an OTIO file/);
    expect(() =>
      parseOtio(otio({ OTIO_SCHEMA: 'Clip.2', source_range: { OTIO_SCHEMA: 'TimeRange.1' } })),
    ).toThrow(/source_range.start_time has no OTIO_SCHEMA/);
    expect(() => parseOtio(otio({ ...timeline, tracks: { OTIO_SCHEMA: 'Track.1' } }))).toThrow(
      /Timeline.tracks must be a Stack/,
    );
    expect(looksLikeOtio(otio(timeline))).toBe(true);
    expect(looksLikeOtio('{"a": 1}')).toBe(false);
  });

  it('reads a SerializableCollection of timelines', () => {
    const document = parseOtio(
      otio({ OTIO_SCHEMA: 'SerializableCollection.1', name: 'bin', children: [timeline, timeline] }),
    );
    expect(document.root).toMatchObject({
      kind: 'SerializableCollection',
      children: [{ kind: 'Timeline' }, { kind: 'Timeline' }],
    });
  });
});

describe('ALE clips', () => {
  it('accepts a heading written on one line', () => {
    const ale = parseAle(
      'Heading\tFIELD_DELIM\tTABS\tFPS\t25\t\nColumn\nName\tStart\nData\nA001\t10:00:00:00\n',
    );
    expect(ale.heading).toEqual({ FIELD_DELIM: 'TABS', FPS: '25' });
    expect(ale.rows).toEqual([{ Name: 'A001', Start: '10:00:00:00' }]);
    expect(() => parseAle('Heading\tFIELD_DELIM\tTABS\tFPS\nColumn\nName\nData\n')).toThrow(/KEY<TAB>VALUE/);
    expect(looksLikeAle('Heading\tFIELD_DELIM\tTABS\nColumn\nName\nData\n')).toBe(true);
  });

  it('turns ASC_SOP/ASC_SAT columns of real RED dailies into a CDL', async () => {
    const ale = readAle(await text('ale/otio_sample_cdl.ale'));
    expect(ale.format).toBe('ALE');
    expect(ale.clips).toHaveLength(4);
    expect(ale.clips[0]).toMatchObject({
      fields: {
        name: 'A005_C010_0501J0',
        tape: 'A005_C010_0501J0',
        start: '17:49:33:01',
        end: '17:49:35:10',
        duration: '00:00:02:09',
        camera: 'A',
        shootDate: '20190501',
        ascSop: '(0.8714 0.9334 0.9947)(-0.087 -0.0922 -0.0808)(0.9988 1.0218 1.0101)',
        ascSat: '0.9',
      },
      cdl: {
        slope: [0.8714, 0.9334, 0.9947],
        offset: [-0.087, -0.0922, -0.0808],
        power: [0.9988, 1.0218, 1.0101],
        saturation: 0.9,
      },
    });
    expect(ale.clips[0]!.columns['R3D.ToneMap']).toBe('Low');
    expect(ale.clips[2]!.cdl!.slope).toEqual([0.8604, 0.9252, 0.9755]);
  });

  it('reads the combined CDL column when ASC_SOP is absent, and refuses a malformed one', () => {
    const ale = readAle(
      'Heading\nFIELD_DELIM\tTABS\n\nColumn\nname\tcdl\n\nData\nA\t(1 1 1) (0 0 0) (1 1 1) (0.5)\nB\t\n',
    );
    expect(ale.clips[0]!.cdl).toEqual({
      slope: [1, 1, 1],
      offset: [0, 0, 0],
      power: [1, 1, 1],
      saturation: 0.5,
      descriptions: [],
    });
    expect(ale.clips[0]!.fields.name).toBe('A');
    expect(ale.clips[1]).not.toHaveProperty('cdl');
    expect(() => readAle('Heading\nColumn\nName\tASC_SOP\nData\nA\t(1 1)(0 0 0)(1 1 1)\n')).toThrow(
      /row 1: ASC_SOP/,
    );
  });

  it('reads a 129-column Media Composer bin export: known columns by Avid name, the rest kept', async () => {
    const ale = readAle(await text('ale/otio_sample.ale'));
    expect(ale.clips).toHaveLength(4);
    expect(ale.clips[0]).toMatchObject({
      fields: {
        name: 'test_017056',
        start: '01:00:00:00',
        end: '01:00:04:03',
        duration: '00:00:04:03',
        tracks: 'V',
      },
      columns: { 'Creation Date': '7/28/17 10:49:11 AM', Drive: 'Tools_Media [VSD]' },
    });
    expect(ale.clips[0]).not.toHaveProperty('cdl');
    expect(ale.clips[0]!.columns).not.toHaveProperty('Color');
  });
});

describe('EDL and OTIO writers', () => {
  const cdl = parseCdl(
    Buffer.from(
      `<ColorCorrection><SOPNode><Slope>1.2 1 0.8</Slope><Offset>0.01 0 -0.01</Offset><Power>1 1.1 1</Power></SOPNode><SatNode><Saturation>0.75</Saturation></SatNode></ColorCorrection>`,
    ),
  ).corrections[0]!;
  const clips: InterchangeClip[] = [
    {
      name: 'A001C003_230512_R1AB',
      reel: 'A001C003',
      sourceIn: '14:02:10:05',
      sourceOut: '14:02:12:05',
      rate: FRAME_RATES['23.976'],
      sourceFile: '/cards/A001/A001C003.mov',
      cdl: { slope: cdl.slope, offset: cdl.offset, power: cdl.power, saturation: cdl.saturation },
    },
    {
      name: 'A001C004 (take 2)',
      reel: 'A001C004_LONG_REEL',
      sourceIn: '23:59:59:20',
      sourceOut: '00:00:00:04',
      rate: FRAME_RATES['23.976'],
    },
  ];

  it('writes an EDL its reader reads back to the same clips, record times end to end', () => {
    const written = writeEdl(clips, { title: 'Day 3 selects' });
    expect(written.split('\r\n').slice(0, 3)).toEqual([
      'TITLE: Day 3 selects',
      'FCM: NON-DROP FRAME',
      '001  A001C003 V     C        14:02:10:05 14:02:12:05 01:00:00:00 01:00:02:00',
    ]);
    const read = parseEdl(written, { rate: FRAME_RATES['23.976'] });
    // The second take runs through midnight: 8 frames.
    expect(read.events[1]!.edits[0]).toMatchObject({
      reel: 'A001C004_LONG_REEL',
      sourceIn: '23:59:59:20',
      sourceOut: '00:00:00:04',
      recordIn: '01:00:02:00',
      recordOut: '01:00:02:08',
    });
    expect(clipsFromEdl(read)).toEqual(clips);
  });

  it('writes drop-frame with FCM: DROP FRAME and ; timecodes', () => {
    const df: InterchangeClip[] = [
      {
        name: 'x',
        reel: 'R1',
        sourceIn: '00:00:59;28',
        sourceOut: '00:01:00;04',
        rate: FRAME_RATES['29.97DF'],
      },
    ];
    const written = writeEdl(df, { title: 'df' });
    expect(written).toContain('FCM: DROP FRAME');
    expect(written).toContain('00:00:59;28 00:01:00;04 01:00:00;00 01:00:00;04');
    expect(clipsFromEdl(parseEdl(written, { rate: FRAME_RATES['29.97'] }))).toEqual(df);
    expect(clipsFromOtio(parseOtio(writeOtio(df, { title: 'df' })), { dropFrame: true })).toEqual(df);
  });

  it('writes an OTIO timeline (Timeline.1/Stack.1/Track.1/Clip.2) its reader reads back', () => {
    const written = writeOtio(clips, { title: 'Day 3 selects' });
    const document = parseOtio(written);
    expect(document.unknownSchemas).toEqual([]);
    expect(document.root).toMatchObject({
      schema: 'Timeline.1',
      name: 'Day 3 selects',
      globalStartTime: { value: 86400, rate: 24000 / 1001 },
      tracks: { schema: 'Stack.1', children: [{ schema: 'Track.1', trackKind: 'Video' }] },
    });
    const [first] = otioClips(document.root as never);
    expect(first).toMatchObject({
      schema: 'Clip.2',
      sourceRange: { startTime: { rate: 24000 / 1001 }, duration: { value: 48 } },
      mediaReferences: {
        DEFAULT_MEDIA: { kind: 'ExternalReference', targetUrl: '/cards/A001/A001C003.mov' },
      },
      metadata: { cmx_3600: { reel: 'A001C003' }, cdl: { asc_sat: 0.75 } },
    });
    expect(clipsFromOtio(document)).toEqual(clips);
  });

  it('refuses mixed rates, reels with spaces, empty ranges and empty lists', () => {
    expect(() => writeEdl([clips[0]!, { ...clips[1]!, rate: FRAME_RATES['25'] }], { title: 't' })).toThrow(
      /one rate per list/,
    );
    expect(() => writeEdl([{ ...clips[1]!, reel: 'A 1' }], { title: 't' })).toThrow(/without spaces/);
    expect(() => writeOtio([{ ...clips[1]!, sourceOut: clips[1]!.sourceIn }], { title: 't' })).toThrow(
      /an empty range/,
    );
    expect(() => writeEdl([], { title: 't' })).toThrow(/no clips/);
    expect(() => clipsFromEdl(parseEdl(writeEdl(clips, { title: 't' })))).toThrow(/give the rate/);
  });
});
