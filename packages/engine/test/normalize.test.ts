import { describe, expect, it } from 'vitest';
import { parseBext } from '../src/probe/bwf.ts';
import { clipNameFacts, parseClipName } from '../src/probe/clip-name.ts';
import { acesInputTransformFor } from '../src/probe/color-ids.ts';
import { deriveFields } from '../src/probe/derive.ts';
import { asDate, exiftoolFacts } from '../src/probe/exiftool-facts.ts';
import { mergeFacts, type Fact } from '../src/probe/facts.ts';
import {
  describePixelFormat,
  ffprobeFacts,
  mxfOperationalPattern,
  parseRational,
} from '../src/probe/ffprobe.ts';
import { looksLikeMedia, looksTruncated } from '../src/validate.ts';

describe('clip names', () => {
  it.each([
    [
      'A001C003_230512_R1AB.mxf',
      { vendorStyle: 'arri', cameraUnit: 'A', reel: 'A001', clipIndex: 3, date: '2023-05-12' },
    ],
    [
      'B012C044_221130_R2C9.mov',
      { vendorStyle: 'arri', cameraUnit: 'B', reel: 'B012', clipIndex: 44, date: '2022-11-30' },
    ],
    [
      'A001C002_230512L7.MXF',
      { vendorStyle: 'sony', cameraUnit: 'A', reel: 'A001', clipIndex: 2, date: '2023-05-12' },
    ],
    [
      'A106_C037_0118G5_002.R3D',
      { vendorStyle: 'red', cameraUnit: 'A', reel: 'A106', clipIndex: 37, date: '--01-18' },
    ],
    [
      'A106_C037_0118G5.RDC',
      { vendorStyle: 'red', cameraUnit: 'A', reel: 'A106', clipIndex: 37, date: '--01-18' },
    ],
    [
      'A001_05121432_C004.braw',
      { vendorStyle: 'blackmagic', cameraUnit: 'A', reel: 'A001', clipIndex: 4, date: '--05-12' },
    ],
  ])('reads %s', (name, expected) => {
    expect(parseClipName(name)).toEqual(expected);
  });

  it('reads nothing from names that follow no convention, or carry impossible dates', () => {
    expect(parseClipName('interview_final_v2.mov')).toBeUndefined();
    expect(parseClipName('A001C003_231399_R1AB.mxf')?.date).toBeUndefined();
  });

  it('states the clip name and its parts as low-priority facts', () => {
    const facts = clipNameFacts('/cards/A001/A001C003_230512_R1AB.mov');
    expect(facts.map((f) => [f.field, f.value])).toEqual([
      ['identity.clipName', 'A001C003_230512_R1AB'],
      ['identity.reel', 'A001'],
      ['identity.cameraUnit', 'A'],
      ['identity.clipIndex', 3],
      ['identity.recordDate', '2023-05-12'],
    ]);
    expect(new Set(facts.map((f) => f.source))).toEqual(new Set(['filename']));
  });
});

describe('ACES input transforms', () => {
  it.each([
    ['LogC', 'ARRI Wide Gamut 3', 'arri_logc3_awg3'],
    ['LogC4', 'AWG4', 'arri_logc4_awg4'],
    ['s-log3-cine', 'S-Gamut3Cine', 'sony_slog3_sgamut3cine'],
    ['S-Log3', 'S-Gamut3', 'sony_slog3_sgamut3'],
    ['S-Log3', 'S-Gamut3.Cine/Venice', 'sony_slog3_venice_sgamut3cine'],
    ['Log3G10', 'REDWideGamutRGB', 'red_log3g10_rwg'],
    ['Canon Log 3', 'Cinema Gamut', 'canon_clog3_cgamut'],
    ['Canon Log 2', 'Cinema Gamut', 'canon_clog2_cgamut'],
    ['V-Log', 'V-Gamut', 'panasonic_vlog_vgamut'],
    ['Blackmagic Design Film Gen 5', undefined, 'bmd_film_gen5'],
    ['bt709', 'bt709', 'rec709'],
  ])('maps %s / %s to %s', (transfer, gamut, id) => {
    expect(acesInputTransformFor(transfer, gamut)).toBe(id);
  });

  it('maps nothing it does not know', () => {
    expect(acesInputTransformFor('smpte2084', 'bt2020')).toBeUndefined();
    expect(acesInputTransformFor(undefined, undefined)).toBeUndefined();
  });
});

describe('merging facts', () => {
  const fact = (value: unknown, source: Fact['source'], priority: number, detail?: string): Fact => ({
    field: 'camera.serial',
    value,
    source,
    priority,
    ...(detail ? { detail } : {}),
  });

  it('keeps the most trusted value and lists the sources that disagree', () => {
    const m = mergeFacts([
      fact('K1.0015432', 'exiftool', 40, 'ARRI:SerialNumber'),
      fact('15432', 'filename', 10),
      fact('K1.0015432', 'container', 50),
    ]);
    expect(m.camera.serial).toEqual({
      value: 'K1.0015432',
      source: 'container',
      conflicts: [{ value: '15432', source: 'filename' }],
    });
  });

  it('treats case, spacing and tiny numeric differences as agreement', () => {
    expect(
      mergeFacts([fact('ALEXA  Mini', 'stream', 60), fact('alexa mini', 'exiftool', 40)]).camera.serial
        ?.conflicts,
    ).toBeUndefined();
    const rates = mergeFacts([
      { field: 'exposure.shutterAngleDeg', value: 172.8, source: 'exiftool', priority: 40 },
      { field: 'exposure.shutterAngleDeg', value: 172.9, source: 'sidecar', priority: 30 },
    ]);
    expect(rates.exposure.shutterAngleDeg?.conflicts).toBeUndefined();
  });

  it('ignores empty values', () => {
    expect(mergeFacts([fact('  ', 'stream', 60), fact('A1', 'exiftool', 40)]).camera.serial?.value).toBe(
      'A1',
    );
  });

  it('derives drop-frame, duration in frames, end timecode and the input transform', () => {
    const m = deriveFields(
      mergeFacts([
        { field: 'time.startTimecode', value: '00:59:59;28', source: 'stream', priority: 60 },
        { field: 'picture.frameRate', value: { num: 30000, den: 1001 }, source: 'stream', priority: 60 },
        { field: 'time.durationSeconds', value: 2.002, source: 'container', priority: 50 },
        { field: 'color.transfer', value: 'S-Log3', source: 'exiftool', priority: 40 },
        { field: 'color.gamut', value: 'S-Gamut3.Cine', source: 'exiftool', priority: 40 },
      ]),
    );
    expect(m.time.dropFrame?.value).toBe(true);
    expect(m.time.durationFrames?.value).toBe(60);
    expect(m.time.endTimecode?.value).toBe('01:00:01;28');
    expect(m.color.acesInputTransform?.value).toBe('sony_slog3_sgamut3cine');
  });
});

describe('ffprobe at the boundary', () => {
  it('reads rationals and pixel formats', () => {
    expect(parseRational('48000/2002')).toEqual({ num: 24000, den: 1001 });
    expect(parseRational('0/0')).toBeUndefined();
    expect(describePixelFormat('yuv422p10le')).toEqual({ chroma: '4:2:2', bitDepth: 10 });
    expect(describePixelFormat('yuv420p')).toEqual({ chroma: '4:2:0', bitDepth: 8 });
    expect(describePixelFormat('gbrp12le')).toEqual({ chroma: '4:4:4', bitDepth: 12 });
    expect(describePixelFormat('yuva444p16le')).toEqual({ chroma: '4:4:4', bitDepth: 16 });
  });

  it('names MXF operational patterns', () => {
    expect(mxfOperationalPattern('060e2b34.04010101.0d010201.01010900')).toBe('OP1a');
    expect(mxfOperationalPattern('060e2b34.04010102.0d010201.10030000')).toBe('OP-Atom');
    expect(mxfOperationalPattern('060e2b34.04010101.0d010201.02030100')).toBe('OP2c');
    expect(mxfOperationalPattern(undefined)).toBeUndefined();
  });

  it('sums audio channels over streams and skips cover art', () => {
    const facts = ffprobeFacts({
      streams: [
        {
          index: 0,
          codec_type: 'video',
          codec_name: 'mjpeg',
          width: 300,
          height: 300,
          disposition: { attached_pic: 1 },
        },
        {
          index: 1,
          codec_type: 'audio',
          codec_name: 'pcm_s24le',
          channels: 1,
          sample_rate: '48000',
          bits_per_sample: 24,
        },
        {
          index: 2,
          codec_type: 'audio',
          codec_name: 'pcm_s24le',
          channels: 1,
          sample_rate: '48000',
          bits_per_sample: 24,
        },
      ],
    });
    const m = mergeFacts(facts);
    expect(m.picture.width).toBeUndefined();
    expect(m.audio.channels).toEqual({ value: 2, source: 'stream', detail: '2 audio streams' });
  });
});

describe('exiftool at the boundary', () => {
  it('reads printed values with units, and prefers the specific tag', () => {
    const m = mergeFacts(
      exiftoolFacts({
        'Keys:Make': 'ARRI',
        'Track1:Model': 'ALEXA 35',
        'XMP:FocalLength': '35.0 mm',
        'ExifIFD:FNumber': 'f/2.8',
        'ExifIFD:ExposureTime': '1/50',
        'Keys:FocusDistance': '10 ft',
        'Keys:ISO': '800',
        'Keys:ExposureIndex': '1600',
        'System:FileSize': '12 MB',
        'Sony:CaptureGammaEquation': 's-log3-cine',
        'Keys:DateTimeOriginal': '2023:05:12 14:03:22+02:00',
      }),
    );
    expect(m.camera.make?.value).toBe('ARRI');
    expect(m.lens.focalLengthMm?.value).toBe(35);
    expect(m.lens.fNumber?.value).toBe(2.8);
    expect(m.exposure.shutterSpeedS?.value).toBe(0.02);
    expect(m.lens.focusDistanceM?.value).toBeCloseTo(3.048, 3);
    expect(m.exposure.exposureIndex).toMatchObject({
      value: 1600,
      detail: 'Keys:ExposureIndex',
      conflicts: [{ value: 800 }],
    });
    expect(m.color.transfer?.value).toBe('s-log3-cine');
    expect(m.identity.recordDate?.value).toBe('2023-05-12T14:03:22+02:00');
    expect(m.file.sizeBytes).toBeUndefined();
  });

  it('turns an MXF start timecode printed as a duration into a timecode at the track rate', () => {
    const m = mergeFacts(
      exiftoolFacts({
        'Track1:StartTimecode': '9:59:30.48',
        'Track1:RoundedTimecodeTimebase': 25,
        'Track1:EditRate': 25,
      }),
    );
    expect(m.time.startTimecode?.value).toBe('09:59:30:12');
  });

  it('counts an MXF start timecode at a 1000/1001 rate by the edit rate exiftool divided by, not the timebase', () => {
    // 01:00:00:00 at 23.976 is frame 86,400: exiftool prints 86,400 × 1001/24000 s = 1:00:03.6.
    const ndf = mergeFacts(
      exiftoolFacts({
        'Track2:StartTimecode': '1:00:03.60',
        'Track2:RoundedTimecodeTimebase': 24,
        'Track2:EditRate': 23.97602398,
        'Track2:DropFrame': 'False',
      }),
    );
    expect(ndf.time.startTimecode?.value).toBe('01:00:00:00');
    // 01:00:00;00 drop-frame is frame 107,892: 107,892 × 1001/30000 s = 3599.9964 s.
    const df = mergeFacts(
      exiftoolFacts({
        'Track2:StartTimecode': '0:59:59.9964',
        'Track2:RoundedTimecodeTimebase': 30,
        'Track2:EditRate': 29.97002997,
        'Track2:DropFrame': 'True',
      }),
    );
    expect(df.time.startTimecode?.value).toBe('01:00:00;00');
  });

  it('says nothing of an MXF start timecode whose edit rate is missing or not the timebase’s', () => {
    for (const editRate of [undefined, 48000]) {
      const m = mergeFacts(
        exiftoolFacts({
          'Track2:StartTimecode': '1:00:03.60',
          'Track2:RoundedTimecodeTimebase': 24,
          ...(editRate === undefined ? {} : { 'Track2:EditRate': editRate }),
        }),
      );
      expect(m.time.startTimecode).toBeUndefined();
    }
  });

  it('reads Sony acquisition name/value pairs: gamma, gamut, EI', () => {
    const m = deriveFields(
      mergeFacts(
        exiftoolFacts({
          'XML:DeviceManufacturer': 'Sony',
          'XML:DeviceModelName': 'MPC-3610',
          'XML:AcquisitionRecordGroupItemName': [
            'CaptureGammaEquation',
            'CaptureColorPrimaries',
            'ISOSensitivity',
          ],
          'XML:AcquisitionRecordGroupItemValue': ['s-log3-cine', 'S-Gamut3Cine', '500'],
        }),
      ),
    );
    expect(m.camera).toMatchObject({ make: { value: 'Sony' }, model: { value: 'MPC-3610' } });
    expect(m.color).toMatchObject({ transfer: { value: 's-log3-cine' }, gamut: { value: 'S-Gamut3Cine' } });
    expect(m.exposure.exposureIndex?.value).toBe(500);
    expect(m.color.acesInputTransform?.value).toBe('sony_slog3_sgamut3cine');
  });

  it('derives the shutter angle from the speed at the frame rate, and back', () => {
    const fromSpeed = deriveFields(
      mergeFacts([
        { field: 'exposure.shutterSpeedS', value: 1 / 48, source: 'exiftool', priority: 40 },
        { field: 'picture.frameRate', value: { num: 24, den: 1 }, source: 'stream', priority: 60 },
      ]),
    );
    expect(fromSpeed.exposure.shutterAngleDeg?.value).toBe(180);
    const fromAngle = deriveFields(
      mergeFacts([
        { field: 'exposure.shutterAngleDeg', value: 172.8, source: 'exiftool', priority: 40 },
        { field: 'picture.frameRate', value: { num: 24000, den: 1001 }, source: 'stream', priority: 60 },
      ]),
    );
    expect(fromAngle.exposure.shutterSpeedS?.value).toBeCloseTo(0.02002, 5);
  });

  it('drops all-zero dates and non-timecodes', () => {
    expect(asDate('0000:00:00 00:00:00')).toBeUndefined();
    expect(mergeFacts(exiftoolFacts({ 'Track1:TimeCode': '3' })).time.startTimecode).toBeUndefined();
  });
});

describe('bext', () => {
  it('reads a 64-bit TimeReference beyond 2^32 samples', () => {
    const data = Buffer.alloc(602);
    data.write('Scene 12', 0, 'latin1');
    data.write('Sound Devices 888', 256, 'latin1');
    data.write('2026-11-25', 320, 'latin1');
    data.write('10:00:00', 330, 'latin1');
    data.writeUInt32LE(0x2345_6789, 338);
    data.writeUInt32LE(0x1, 342);
    data.writeUInt16LE(2, 346);
    expect(parseBext(data)).toMatchObject({
      description: 'Scene 12',
      originator: 'Sound Devices 888',
      originationDate: '2026-11-25',
      originationTime: '10:00:00',
      timeReference: 0x1_2345_6789n,
      version: 2,
    });
  });
});

describe('validation rules', () => {
  it('recognizes truncation messages and media headers', () => {
    expect(looksTruncated('moov atom not found')).toBe(true);
    expect(looksTruncated('cut.mp4: corrupt input packet in stream 0')).toBe(true);
    expect(looksTruncated('Invalid NAL unit size (1107 > 24).')).toBe(false);
    expect(looksLikeMedia(Buffer.from('\0\0\0\x14ftypqt  '))).toBe(true);
    expect(looksLikeMedia(Buffer.from('call sheet day 3'))).toBe(false);
    expect(looksLikeMedia(Buffer.from([0x06, 0x0e, 0x2b, 0x34, 2, 5]))).toBe(true);
  });
});
