/**
 * exiftool at the boundary: tags read with `-G1` (family-1 groups, printed values such as
 * `35.0 mm`, `1/50`, `f/2.8`) become facts. One table maps the tag names cameras and recorders use (ARRI, Sony, RED, Canon,
 * Blackmagic, Panasonic, QuickTime/MXF/RIFF generics) to fields, with a converter each.
 */
import { formatTimecode, frameRate, parseTimecodeFields, TimecodeError } from '@rushes/timecode';
import { PRIORITY, type Fact, type FieldPath } from './facts.ts';

export type ExiftoolTags = Record<string, unknown>;

type Convert = (value: unknown) => unknown;

const asString: Convert = (v) =>
  typeof v === 'string' || typeof v === 'number' ? String(v).trim() : undefined;
const asNumber: Convert = (v) => {
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'string'
        ? Number.parseFloat(v.replace(/^[fT]\/?\s*/i, ''))
        : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const positive: Convert = (v) => {
  const n = asNumber(v) as number | undefined;
  return n !== undefined && n > 0 ? n : undefined;
};
/** `2018:12:31 12:40:00(+01:00)` → `2018-12-31T12:40:00(+01:00)`; all-zero dates are dropped. */
export const asDate: Convert = (v) => {
  const s = asString(v) as string | undefined;
  const m =
    s && /^(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?/.exec(s);
  if (!m || m[1] === '0000') return undefined;
  return m[4] ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}${m[6] ?? ''}` : `${m[1]}-${m[2]}-${m[3]}`;
};
/** A timecode as printed (`09:59:30:00`, `01:00:00;00`); anything else is not one. */
const timecode: Convert = (v) => {
  const s = typeof v === 'string' ? v.trim() : '';
  try {
    parseTimecodeFields(s);
    return s;
  } catch (error) {
    if (error instanceof TimecodeError) return undefined;
    throw error;
  }
};
/** Focus distances as printed, with a unit (`3.05 m`, `10 ft`), or plain metres. */
const metres: Convert = (v) => {
  if (typeof v === 'number') return v > 0 ? v : undefined;
  const m = /([\d.]+)\s*(mm|cm|m|ft|')?/i.exec(String(v ?? ''));
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'm').toLowerCase();
  return unit === 'mm' ? n / 1000 : unit === 'cm' ? n / 100 : unit === 'ft' || unit === "'" ? n * 0.3048 : n;
};
/** A shutter given as a fraction of a second: `1/50`, 0.02. */
const seconds: Convert = (v) => {
  const m = /^1\/([\d.]+)$/.exec(String(v ?? '').trim());
  return m ? 1 / Number(m[1]) : positive(v);
};

interface Rule {
  tags: readonly string[];
  field: FieldPath;
  convert: Convert;
}

const rule = (field: FieldPath, convert: Convert, ...tags: string[]): Rule => ({ field, convert, tags });

/** Tag names (without group) → field. Earlier rules and earlier tags win within exiftool. */
const RULES: readonly Rule[] = [
  rule('camera.make', asString, 'Make', 'DeviceManufacturer', 'CameraManufacturer', 'Manufacturer'),
  rule('camera.model', asString, 'Model', 'CameraModelName', 'DeviceModelName', 'CameraModel', 'CameraType'),
  rule(
    'camera.serial',
    asString,
    'SerialNumber',
    'CameraSerialNumber',
    'DeviceSerialNo',
    'InternalSerialNumber',
    'CameraPIN',
    'CameraID',
  ),
  rule('camera.firmware', asString, 'FirmwareVersion', 'Firmware', 'CameraFirmware', 'SoftwareVersion'),
  rule('lens.model', asString, 'LensModel', 'LensType', 'Lens', 'LensID', 'LensModelName', 'LensName'),
  rule('lens.serial', asString, 'LensSerialNumber', 'LensSerial'),
  rule('lens.focalLengthMm', positive, 'FocalLength', 'LensZoomActualFocalLength', 'FocalLengthIn35mmFormat'),
  rule('lens.tStop', positive, 'TStop', 'IrisTNumber', 'LensIrisTNumber', 'Iris'),
  rule('lens.fNumber', positive, 'FNumber', 'Aperture', 'IrisFNumber', 'ApertureValue'),
  rule(
    'lens.focusDistanceM',
    metres,
    'FocusDistance',
    'FocusPosition',
    'SubjectDistance',
    'LensFocusDistance',
  ),
  rule(
    'exposure.exposureIndex',
    positive,
    'ExposureIndex',
    'ISO',
    'ISOSpeed',
    'ISOSensitivity',
    'EI',
    'RecommendedExposureIndex',
  ),
  rule('exposure.shutterAngleDeg', positive, 'ShutterAngle', 'ShutterAngleDegrees'),
  rule(
    'exposure.shutterSpeedS',
    seconds,
    'ExposureTime',
    'ShutterSpeed',
    'ShutterSpeedValue',
    'ShutterSpeedTime',
  ),
  rule(
    'exposure.whiteBalanceK',
    positive,
    'ColorTemperature',
    'WhiteBalanceKelvin',
    'WhiteBalanceTemperature',
    'ColorTemp',
    'Kelvin',
  ),
  rule('exposure.tint', asNumber, 'Tint', 'WhiteBalanceTint', 'ColorCorrectionTint'),
  rule('exposure.ndStops', asNumber, 'NDFilter', 'NDFilterDensity', 'NDStops'),
  rule('picture.width', positive, 'ImageWidth', 'SourceImageWidth', 'StoredWidth'),
  rule('picture.height', positive, 'ImageHeight', 'SourceImageHeight', 'StoredHeight'),
  rule('picture.codec', asString, 'CompressorName', 'CompressorID', 'VideoCodec', 'Compression'),
  rule('picture.bitDepth', positive, 'ComponentDepth', 'BitsPerComponent'),
  rule(
    'picture.anamorphicSqueeze',
    positive,
    'AnamorphicSqueeze',
    'LensSqueezeFactor',
    'AnamorphicDesqueezeRatio',
    'Squeeze',
  ),
  rule(
    'color.transfer',
    asString,
    'CaptureGammaEquation',
    'GammaCurve',
    'Gamma',
    'TransferCharacteristic',
    'GammaSpace',
    'LogEncoding',
    'ColorGamma',
  ),
  rule(
    'color.gamut',
    asString,
    'CaptureColorPrimaries',
    'ColorGamut',
    'ColorPrimaries',
    'Gamut',
    'ColorSpaceName',
  ),
  rule(
    'time.startTimecode',
    timecode,
    'StartTimecode',
    'TimeCode',
    'Timecode',
    'StartTimeCode',
    'LtcChangeTableLtcChangeValue',
  ),
  rule(
    'identity.reel',
    asString,
    'ReelName',
    'Reel',
    'ReelNumber',
    'TapeName',
    'CameraRoll',
    'CameraRollName',
  ),
  rule('identity.clipName', asString, 'ClipName', 'ClipID', 'PackageName', 'MaterialPackageName'),
  rule('identity.cameraUnit', asString, 'CameraLetter', 'CameraIndex', 'CameraUnit', 'CameraLabel'),
  rule('identity.scene', asString, 'Scene', 'SceneName', 'BwfxmlScene'),
  rule('identity.take', asString, 'Take', 'TakeNumber', 'BwfxmlTake'),
  rule(
    'identity.recordDate',
    asDate,
    'DateTimeOriginal',
    'CreationDate',
    'CreateDate',
    'MediaCreateDate',
    'RecordingDate',
    'StartDate',
  ),
  rule('audio.channels', positive, 'NumChannels', 'AudioChannels', 'ChannelCount'),
  rule('audio.sampleRateHz', positive, 'AudioSampleRate', 'SampleRate'),
  rule('audio.bitDepth', positive, 'AudioBitsPerSample', 'BitsPerSample', 'AudioSampleBits'),
];

/** Tag name → its rule and rank (position among the rule's tags). */
const INDEX = new Map<string, { rule: Rule; rank: number }>();
for (const r of RULES)
  r.tags.forEach(
    (tag, rank) => INDEX.has(tag.toLowerCase()) || INDEX.set(tag.toLowerCase(), { rule: r, rank }),
  );

/** exiftool family-1 groups that describe sound (RIFF/WAV, QuickTime tracks, DV, MXF, AIFF…). */
const AUDIO_GROUPS =
  /^(RIFF|Audio\w*|Track\d+|DV|MXF|AIFF|FLAC|Vorbis|Opus|APE|ID3\w*|M2TS|AC3|MPEG|Matroska|BWF|XML)$/;

/** Groups whose values describe the file system or the tool, not the media. */
const IGNORED_GROUPS = new Set(['System', 'ExifTool', 'File', 'Composite']);

/**
 * MXF timecode tracks as exiftool prints them: `Start Timecode` as a duration (`9:59:30`, or
 * `9:59:30.48` with frames) beside `Rounded Timecode Timebase` (frames per second).
 */
export function mxfTimecodeFacts(tags: ExiftoolTags): Fact[] {
  const facts: Fact[] = [];
  for (const [key, raw] of Object.entries(tags)) {
    if (!key.endsWith(':StartTimecode')) continue;
    const group = key.slice(0, -':StartTimecode'.length);
    const base = Number(tags[`${group}:RoundedTimecodeTimebase`]);
    const m = /^(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(String(raw).trim());
    if (!m || !Number.isInteger(base) || base <= 0) continue;
    const seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    // exiftool divides the start frame by the track's edit rate (23.976…, not the timebase 24):
    // multiplying back by the edit rate finds the frame; a timecode track whose edit rate is not
    // its timebase's (or the 1000/1001 one's) states no frame we can recover, so nothing is said.
    const editRate = Number(tags[`${group}:EditRate`]);
    const ntsc = Math.abs(editRate - (base * 1000) / 1001) < 0.001;
    if (!ntsc && !(Number.isFinite(editRate) && Math.abs(editRate - base) < 0.001)) continue;
    const dropFrame = String(tags[`${group}:DropFrame`] ?? '').toLowerCase() === 'true';
    let rate;
    try {
      rate = ntsc ? frameRate(base * 1000, 1001, dropFrame) : frameRate(base, 1);
    } catch (error) {
      if (error instanceof TimecodeError) continue;
      throw error;
    }
    const frames = Math.round(ntsc ? (seconds * base * 1000) / 1001 : seconds * base);
    const value = formatTimecode(frames, rate);
    facts.push({
      field: 'time.startTimecode',
      value,
      source: 'exiftool',
      detail: `${key} at ${base} fps`,
      priority: PRIORITY.exiftool,
    });
  }
  return facts;
}

/** Sony NonRealTimeMeta acquisition items (AcquisitionRecord Group/Item name) → fields. */
const SONY_ACQUISITION_FIELDS: Record<string, FieldPath> = {
  CaptureGammaEquation: 'color.transfer',
  CaptureColorPrimaries: 'color.gamut',
  ISOSensitivity: 'exposure.exposureIndex',
  ExposureIndexOfPhotoMeter: 'exposure.exposureIndex',
  ShutterSpeedAngle: 'exposure.shutterAngleDeg',
  WhiteBalance: 'exposure.whiteBalanceK',
  NeutralDensityFilterWheelSetting: 'exposure.ndStops',
};

/** The field a Sony acquisition item states (names as written, with or without `_`). */
export function sonyAcquisitionField(name: string): FieldPath | undefined {
  return SONY_ACQUISITION_FIELDS[name] ?? SONY_ACQUISITION_FIELDS[name.replace(/_/g, '')];
}

/**
 * Sony NonRealTimeMeta XML (XAVC, XDCAM, VENICE) keeps acquisition settings as name/value item
 * pairs, which exiftool flattens into two parallel lists.
 */
export function sonyAcquisitionFacts(tags: ExiftoolTags): Fact[] {
  const names = tags['XML:AcquisitionRecordGroupItemName'];
  const values = tags['XML:AcquisitionRecordGroupItemValue'];
  if (!Array.isArray(names) || !Array.isArray(values)) return [];
  const facts: Fact[] = [];
  names.forEach((name, i) => {
    const field = sonyAcquisitionField(String(name));
    const raw = values[i];
    if (!field || raw === undefined) return;
    const numeric = field.startsWith('exposure.');
    const value = numeric ? Number.parseFloat(String(raw)) : String(raw);
    if (numeric && !Number.isFinite(value)) return;
    facts.push({
      field,
      value,
      source: 'exiftool',
      detail: `Sony acquisition item ${String(name)}`,
      priority: PRIORITY.exiftool + 1,
    });
  });
  return facts;
}

export function exiftoolFacts(tags: ExiftoolTags): Fact[] {
  const facts: (Fact & { rank: number })[] = [...mxfTimecodeFacts(tags), ...sonyAcquisitionFacts(tags)].map(
    (f) => ({
      ...f,
      rank: -1,
    }),
  );
  for (const [key, raw] of Object.entries(tags)) {
    const [group, name] = key.includes(':') ? (key.split(':', 2) as [string, string]) : ['', key];
    if (IGNORED_GROUPS.has(group)) continue;
    const found = INDEX.get(name.toLowerCase());
    if (!found) continue;
    // An MXF track's StartTimecode is a duration in seconds (mxfTimecodeFacts reads it, or not).
    if (name === 'StartTimecode' && tags[`${group}:RoundedTimecodeTimebase`] !== undefined) continue;
    // Audio sample rates share a tag name with video "SampleRate" in MXF, and BitsPerSample is an
    // image's in TIFF/DNG/CR3 (IFD0 "8 8 8"): audio fields come only from groups describing sound.
    if (found.rule.field.startsWith('audio.') && !AUDIO_GROUPS.test(group)) continue;
    if (found.rule.field === 'audio.sampleRateHz' && typeof raw === 'number' && raw < 8000) continue;
    const value = found.rule.convert(raw);
    if (value === undefined) continue;
    facts.push({
      field: found.rule.field,
      value,
      source: 'exiftool',
      detail: key,
      priority: PRIORITY.exiftool,
      rank: found.rank,
    });
  }
  // Within exiftool, the more specific tag (lower rank) is stated first, so it wins.
  return facts.sort((a, b) => a.rank - b.rank).map(({ rank: _rank, ...fact }) => fact);
}
