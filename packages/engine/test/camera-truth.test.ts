import { describe, expect, it } from 'vitest';
import { mergeFacts } from '../src/probe/facts.ts';
import { deriveFields } from '../src/probe/derive.ts';
import { parseIXml, waveFacts } from '../src/probe/bwf.ts';
import { cameraXmlCandidate, cameraXmlFacts } from '../src/probe/camera-xml.ts';
import { decodeSmpteTimecode, dpxFacts, parseDpxHeader } from '../src/sequence/dpx.ts';
import { parseP2Clip } from '../src/sidecar/p2-clip.ts';
import { decodeLtcChangeValue, parseScanRate, parseSonyNrt } from '../src/sidecar/sony-nrt.ts';
import { dpxHeader, P2_CLIP, SONY_NRT } from './support/camera-xml.ts';

describe('DPX headers (SMPTE 268M offsets, checked against exiftool DPX.pm)', () => {
  for (const bigEndian of [true, false]) {
    it(`reads the file, image, orientation, film and television headers (${bigEndian ? 'SDPX' : 'XPDS'})`, () => {
      const header = parseDpxHeader(dpxHeader(bigEndian))!;
      expect(header).toMatchObject({
        bigEndian,
        width: 4096,
        height: 2160,
        bitDepth: 10,
        elements: 1,
        creationTime: '2026:12:03:10:11:12',
        creator: 'Scanner Software 4.2',
        project: 'Feature X',
        copyright: '(c) Studio',
        inputDevice: 'ALEXA 35',
        inputSerial: 'K1.71234',
        pixelAspect: { horizontal: 2, vertical: 1 },
        filmFrameRate: 24,
        shutterAngle: 172.8,
        slate: 'Slate 12A',
        timecode: '10:20:30:04',
        userBits: '12345678',
        interlace: 0,
        frameRate: 23.976,
      });
      expect(header.dropFrame).toBeUndefined();
    });
  }

  it('states each header field with where it came from; the creator software is not the camera', () => {
    const m = mergeFacts(dpxFacts(parseDpxHeader(dpxHeader(true))!));
    expect(m.camera.model).toEqual({
      value: 'ALEXA 35',
      source: 'sequence',
      detail: 'DPX orientation header input device',
    });
    expect(m.camera.serial?.value).toBe('K1.71234');
    expect(m.picture.pixelAspect?.value).toBe(2);
    expect(m.picture.scan?.value).toBe('progressive');
    expect(m.exposure.shutterAngleDeg?.value).toBe(172.8);
    expect(m.time.startTimecode).toMatchObject({
      value: '10:20:30:04',
      detail: 'DPX television header time code',
    });
    expect(m.picture.frameRate).toMatchObject({
      value: { num: 24000, den: 1001 },
      detail: 'DPX television header frame rate',
    });
    expect(m.picture.bitDepth?.value).toBe(10);
  });

  it('masks the SMPTE 12M flag bits of the time code and reports drop frame', () => {
    // 0x40 in the frames byte is the drop-frame flag, 0x80 colour frame, 0x80 of seconds a binary group flag.
    // 0xa9 seconds byte: a binary group flag over 29; 0xc2 frames byte: colour frame + drop frame over 02.
    expect(decodeSmpteTimecode(0x0100a9c2)).toEqual({ timecode: '01:00:29:02', dropFrame: true });
    expect(decodeSmpteTimecode(0x010000aa)).toBeUndefined(); // frames 0x2a: not a BCD digit
    expect(decodeSmpteTimecode(0x01008942)).toEqual({ timecode: '01:00:09:02', dropFrame: true });
    expect(decodeSmpteTimecode(0x23595929)).toEqual({ timecode: '23:59:59:29', dropFrame: false });
    expect(decodeSmpteTimecode(0xffffffff)).toBeUndefined();
    const b = dpxHeader(false);
    b.writeUInt32LE(0x01000049, 1920);
    const header = parseDpxHeader(b)!;
    expect(header).toMatchObject({ timecode: '01:00:00:09', dropFrame: true });
    expect(mergeFacts(dpxFacts(header)).time.dropFrame?.value).toBe(true);
  });

  it('treats 0xFF-filled fields as undefined, not values', () => {
    const b = dpxHeader(true);
    b.fill(0xff, 1408, 2048);
    const header = parseDpxHeader(b)!;
    expect(header.inputDevice).toBeUndefined();
    expect(header.pixelAspect).toBeUndefined();
    expect(header.timecode).toBeUndefined();
    expect(header.userBits).toBeUndefined();
    expect(header.interlace).toBeUndefined();
    expect(header.shutterAngle).toBeUndefined();
    expect(header.frameRate).toBeUndefined();
  });
});

const ixml = (speed: string) =>
  Buffer.from(
    `<?xml version="1.0"?><BWFXML><IXML_VERSION>2.10</IXML_VERSION><SCENE>12</SCENE><SPEED>${speed}</SPEED></BWFXML>`,
  );

describe('BWF iXML SPEED', () => {
  it('counts timecode at MASTER_SPEED when a recorder writes no TIMECODE_RATE (Nuendo)', () => {
    const parsed = parseIXml(
      ixml('<MASTER_SPEED>24000/1001</MASTER_SPEED><TIMECODE_FLAG>NDF</TIMECODE_FLAG>'),
    );
    expect(parsed.timecodeRate).toEqual({ num: 24000, den: 1001, dropFrame: false });
    expect(parsed.timecodeRateFrom).toBe('MASTER_SPEED');
    const facts = waveFacts({
      sampleRate: 48000,
      channels: 2,
      bitsPerSample: 24,
      ixml: parsed,
      bext: {
        description: '',
        originator: 'Nuendo',
        originatorReference: '',
        originationDate: '2026-12-03',
        originationTime: '10:00:00',
        timeReference: 2190940753n,
        version: 1,
        codingHistory: '',
      },
    });
    const m = mergeFacts(facts);
    expect(m.time.startTimecode?.value).toBe('12:39:59:00');
    expect(m.picture.frameRate).toMatchObject({
      value: { num: 24000, den: 1001 },
      detail: 'iXML SPEED/MASTER_SPEED',
    });
  });

  it('prefers TIMECODE_RATE over MASTER_SPEED', () => {
    const parsed = parseIXml(
      ixml(
        '<MASTER_SPEED>24000/1001</MASTER_SPEED><TIMECODE_RATE>30000/1001</TIMECODE_RATE><TIMECODE_FLAG>DF</TIMECODE_FLAG>',
      ),
    );
    expect(parsed.timecodeRate).toEqual({ num: 30000, den: 1001, dropFrame: true });
    expect(parsed.timecodeRateFrom).toBe('TIMECODE_RATE');
  });

  it('takes the start from the iXML timestamp when there is no bext chunk', () => {
    const parsed = parseIXml(
      ixml(
        '<TIMECODE_RATE>25/1</TIMECODE_RATE><TIMECODE_FLAG>NDF</TIMECODE_FLAG>' +
          '<TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI>0</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI>' +
          '<TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO>3917280000</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO>' +
          '<TIMESTAMP_SAMPLE_RATE>48000</TIMESTAMP_SAMPLE_RATE>',
      ),
    );
    expect(parsed.timestampSamples).toBe(3917280000n);
    const m = mergeFacts(waveFacts({ sampleRate: 48000, ixml: parsed }));
    expect(m.time.startTimecode).toMatchObject({ value: '22:40:10:00', source: 'ixml' });
  });

  it('states no timecode when neither a rate nor a speed is written', () => {
    const parsed = parseIXml(ixml('<NOTE>no speed</NOTE>'));
    expect(parsed.timecodeRate).toBeUndefined();
    expect(mergeFacts(waveFacts({ sampleRate: 48000, ixml: parsed })).time.startTimecode).toBeUndefined();
  });
});

describe('Sony NonRealTimeMeta (M01.XML)', () => {
  it('decodes LtcChange values: packed SMPTE 12M bytes frames first, and the older text form', () => {
    expect(decodeLtcChangeValue('17305719')).toEqual({ timecode: '19:57:30:17', dropFrame: false });
    // 0x67 frames byte = drop-frame flag + 27 frames.
    expect(decodeLtcChangeValue('67212901')).toEqual({ timecode: '01:29:21;27', dropFrame: true });
    // 0x83 seconds byte: a binary group flag over 03 seconds.
    expect(decodeLtcChangeValue('14830000')).toEqual({ timecode: '00:00:03:14', dropFrame: false });
    expect(decodeLtcChangeValue('01:00:00:00')).toEqual({ timecode: '01:00:00:00', dropFrame: false });
    expect(decodeLtcChangeValue('ZZ')).toBeUndefined();
  });

  it('reads rates as written, interlaced as half the field rate', () => {
    expect(parseScanRate('23.98p')?.rate).toMatchObject({ num: 24000, den: 1001 });
    expect(parseScanRate('59.94i')).toMatchObject({ rate: { num: 30000, den: 1001 }, scan: 'interlaced' });
    expect(parseScanRate('50i')?.rate).toMatchObject({ num: 25, den: 1 });
    expect(parseScanRate('119.88p')?.rate).toMatchObject({ num: 120000, den: 1001 });
    expect(parseScanRate('fast')).toBeUndefined();
  });

  it('parses the document and states its fields with the element each came from', () => {
    const nrt = parseSonyNrt(SONY_NRT);
    expect(nrt).toMatchObject({
      durationFrames: 4380,
      startTimecode: '19:57:30:17',
      timecodeFps: 25,
      halfStep: false,
      model: 'ILME-FX6V',
      serial: '5012345',
      lens: 'FE 24-70mm F2.8 GM II',
      width: 3840,
      height: 2160,
      audioChannels: 4,
      acquisition: { CameraUnitMetadataSet: { CaptureGammaEquation: 's-log3-cine' } },
    });
    const m = deriveFields(
      mergeFacts(cameraXmlFacts({ kind: 'sony-nrt', file: '/card/C0001M01.XML', fields: nrt })),
    );
    expect(m.camera.model).toEqual({
      value: 'ILME-FX6V',
      source: 'sidecar',
      detail: 'C0001M01.XML Device@modelName',
    });
    expect(m.lens.model?.value).toBe('FE 24-70mm F2.8 GM II');
    expect(m.picture.frameRate?.value).toEqual({ num: 25, den: 1 });
    expect(m.time.startTimecode?.value).toBe('19:57:30:17');
    expect(m.time.endTimecode?.value).toBe('20:00:25:22');
    expect(m.identity.recordDate?.value).toBe('2026-12-03T10:00:00+01:00');
    expect(m.exposure.exposureIndex?.value).toBe(800);
    expect(m.color.acesInputTransform?.value).toBe('sony_slog3_sgamut3cine');
  });

  it('rejects a document that is not NonRealTimeMeta', () => {
    expect(() => parseSonyNrt('<P2Main/>')).toThrow(/not a Sony NonRealTimeMeta/);
  });
});

describe('Panasonic P2 clip XML', () => {
  it('parses the document and states its fields', () => {
    const clip = parseP2Clip(P2_CLIP);
    expect(clip).toMatchObject({
      clipName: '0001AB',
      durationFrames: 240,
      editUnit: { num: 1001, den: 24000 },
      frameRate: '23.98p',
      startTimecode: '14:02:11:05',
      startUserBits: '00000000',
      audioChannels: 2,
      audioSampleRate: 48000,
      audioBitDepth: 24,
      serial: 'B5TDA0123',
      model: 'AU-V35C1G',
      scene: '12',
      take: '3',
      iso: 800,
      whiteBalanceK: 5600,
      gamma: 'V-Log',
      gamut: 'V-Gamut',
    });
    const m = deriveFields(
      mergeFacts(cameraXmlFacts({ kind: 'p2-clip', file: '/card/CONTENTS/CLIP/0001AB.XML', fields: clip })),
    );
    expect(m.camera.serial).toEqual({
      value: 'B5TDA0123',
      source: 'sidecar',
      detail: '0001AB.XML Device/SerialNo.',
    });
    expect(m.picture.frameRate?.value).toEqual({ num: 24000, den: 1001 });
    expect(m.identity.recordDate?.value).toBe('2026-12-03T09:14:50+01:00');
    expect(m.identity.scene?.value).toBe('12');
    expect(m.audio.channels?.value).toBe(2);
    expect(m.exposure.whiteBalanceK?.value).toBe(5600);
    expect(m.color.acesInputTransform?.value).toBe('panasonic_vlog_vgamut');
    expect(m.time.endTimecode?.value).toBe('14:02:21:05');
  });

  it('finds each vendor sidecar where the card structure puts it', () => {
    expect(cameraXmlCandidate('/c/CONTENTS/VIDEO/0001AB.MXF')).toEqual({
      kind: 'p2-clip',
      folder: '/c/CONTENTS/CLIP',
      name: '0001AB.XML',
    });
    expect(cameraXmlCandidate('/c/CONTENTS/AUDIO/0001AB03.MXF')?.name).toBe('0001AB.XML');
    expect(cameraXmlCandidate('/c/XDROOT/Clip/C0007.MXF')).toEqual({
      kind: 'sony-nrt',
      folder: '/c/XDROOT/Clip',
      name: 'C0007M01.XML',
    });
    expect(cameraXmlCandidate('/c/PRIVATE/M4ROOT/CLIP/C0001.MP4')?.name).toBe('C0001M01.XML');
    expect(cameraXmlCandidate('/c/A001C001.mov')).toBeUndefined();
  });

  it('rejects a document that is not P2 clip metadata', () => {
    expect(() => parseP2Clip('<NonRealTimeMeta/>')).toThrow(/not a P2 clip/);
  });
});
