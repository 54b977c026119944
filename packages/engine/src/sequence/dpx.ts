/**
 * DPX headers (SMPTE 268M): file, image, orientation, film and television headers at fixed
 * offsets, in big- or little-endian byte order ('SDPX' / 'XPDS'). The timecode is BCD-encoded.
 */
import { open } from 'node:fs/promises';
import { parseFrameRate } from '@rushes/timecode';
import { PRIORITY, type Fact } from '../probe/facts.ts';

export interface DpxHeader {
  bigEndian: boolean;
  version: string;
  width: number;
  height: number;
  bitDepth: number;
  /** Image element descriptor (50 = RGB, 51 = RGBA, 100 = CbYCrY 4:2:2…). */
  descriptor: number;
  /** Transfer characteristic code (1 printing density, 2 linear, 3 log, 6 BT.709…). */
  transfer: number;
  colorimetric: number;
  /** Image element count (1–8). */
  elements: number;
  /** Image orientation code (0 = left to right, top to bottom). */
  orientation: number;
  creator?: string;
  project?: string;
  copyright?: string;
  creationTime?: string;
  /** Orientation header: the source's file name, the input device and its serial number. */
  sourceFileName?: string;
  inputDevice?: string;
  inputSerial?: string;
  /** Pixel aspect ratio, horizontal : vertical. */
  pixelAspect?: { horizontal: number; vertical: number };
  /** Film header: slate text, frame id, shutter angle in degrees. */
  slate?: string;
  frameId?: string;
  shutterAngle?: number;
  timecode?: string;
  /** SMPTE 12M drop-frame flag of the time code (bit 6 of the frames byte). */
  dropFrame?: boolean;
  /** User bits of the time code, as 8 hex digits. */
  userBits?: string;
  /** Television header: 0 non-interlaced, 1 2:1 interlace. */
  interlace?: number;
  fieldNumber?: number;
  /** Television header frame rate, else the film header's. */
  frameRate?: number;
  filmFrameRate?: number;
}

const UNDEFINED_U32 = 0xffffffff;

/** An ASCII field up to its first NUL (or 0xFF, which some writers use for "undefined"). */
const text = (buffer: Buffer, offset: number, length: number) => {
  const raw = buffer.toString('latin1', offset, offset + length);
  const end = raw.search(/[\0\xff]/);
  return (end === -1 ? raw : raw.slice(0, end)).trim() || undefined;
};

const bcd = (byte: number) =>
  byte >> 4 > 9 || (byte & 0xf) > 9 ? undefined : (byte >> 4) * 10 + (byte & 0xf);

/**
 * Pure: an SMPTE 12M time code packed in 32 bits with the hours in the most significant byte
 * (0x01000000 → `01:00:00:00`). The flag bits (drop frame and colour frame in the frames byte,
 * the binary group flags beside seconds, minutes and hours) are masked off as SMPTE 12M places
 * them; the drop-frame flag is returned. Undefined for the "unset" value or invalid digits.
 */
export function decodeSmpteTimecode(value: number): { timecode: string; dropFrame: boolean } | undefined {
  if (value === UNDEFINED_U32) return undefined;
  const hh = bcd((value >>> 24) & 0x3f);
  const mm = bcd((value >>> 16) & 0x7f);
  const ss = bcd((value >>> 8) & 0x7f);
  const ff = bcd(value & 0x3f);
  if (hh === undefined || mm === undefined || ss === undefined || ff === undefined) return undefined;
  if (hh > 23 || mm > 59 || ss > 59) return undefined;
  const two = (n: number) => String(n).padStart(2, '0');
  return { timecode: `${two(hh)}:${two(mm)}:${two(ss)}:${two(ff)}`, dropFrame: (value & 0x40) !== 0 };
}

/** Pure: the time code's text alone (see decodeSmpteTimecode). */
export function decodeBcdTimecode(value: number): string | undefined {
  return decodeSmpteTimecode(value)?.timecode;
}

/** Pure: parses the first 2048 bytes of a DPX file; undefined when it is not one. */
export function parseDpxHeader(buffer: Buffer): DpxHeader | undefined {
  if (buffer.length < 2048) return undefined;
  const magic = buffer.toString('latin1', 0, 4);
  if (magic !== 'SDPX' && magic !== 'XPDS') return undefined;
  const be = magic === 'SDPX';
  const u32 = (o: number) => (be ? buffer.readUInt32BE(o) : buffer.readUInt32LE(o));
  const u16 = (o: number) => (be ? buffer.readUInt16BE(o) : buffer.readUInt16LE(o));
  const f32 = (o: number, max = 1000) => {
    const v = be ? buffer.readFloatBE(o) : buffer.readFloatLE(o);
    return Number.isFinite(v) && v > 0 && v < max ? Math.round(v * 1000) / 1000 : undefined;
  };
  const u8 = (o: number) => (buffer[o] === 0xff ? undefined : buffer[o]);
  const header: DpxHeader = {
    bigEndian: be,
    version: text(buffer, 8, 8) ?? '',
    orientation: u16(768),
    elements: u16(770),
    width: u32(772),
    height: u32(776),
    descriptor: buffer[800]!,
    transfer: buffer[801]!,
    colorimetric: buffer[802]!,
    bitDepth: buffer[803]!,
  };
  const set = <K extends keyof DpxHeader>(key: K, value: DpxHeader[K] | undefined) => {
    if (value !== undefined) header[key] = value;
  };
  // Generic file header (SMPTE 268M): image file name at 36 (100), creation time at 136 (24),
  // creator 160 (100), project 260 (200), copyright 460 (200).
  set('creationTime', text(buffer, 136, 24));
  set('creator', text(buffer, 160, 100));
  set('project', text(buffer, 260, 200));
  set('copyright', text(buffer, 460, 200));
  // The orientation, film and television headers exist only when the image data starts after
  // them (some writers, ffmpeg among them, put pixels right after the image header).
  const imageOffset = u32(4);
  const orientationHeader = imageOffset >= 1664;
  const film = imageOffset >= 1920;
  const television = imageOffset >= 2048;
  if (orientationHeader) {
    set('sourceFileName', text(buffer, 1432, 100));
    set('inputDevice', text(buffer, 1556, 32));
    set('inputSerial', text(buffer, 1588, 32));
    const [horizontal, vertical] = [u32(1628), u32(1632)];
    if (horizontal > 0 && vertical > 0 && horizontal !== UNDEFINED_U32 && vertical !== UNDEFINED_U32)
      header.pixelAspect = { horizontal, vertical };
  }
  if (television) {
    const tc = decodeSmpteTimecode(u32(1920));
    if (tc) {
      header.timecode = tc.timecode;
      if (tc.dropFrame) header.dropFrame = true;
    }
    const userBits = u32(1924);
    if (userBits !== UNDEFINED_U32) header.userBits = userBits.toString(16).toUpperCase().padStart(8, '0');
    set('interlace', u8(1928));
    set('fieldNumber', u8(1929));
  }
  if (film) {
    set('filmFrameRate', f32(1724));
    set('shutterAngle', f32(1728, 360.001));
    set('frameId', text(buffer, 1732, 32));
    set('slate', text(buffer, 1764, 100));
  }
  set('frameRate', (television ? f32(1940) : undefined) ?? header.filmFrameRate);
  return header;
}

const TRANSFERS: Record<number, string> = {
  1: 'printing density',
  2: 'linear',
  3: 'logarithmic',
  5: 'SMPTE 274M',
  6: 'bt709',
  7: 'bt601 (625)',
  8: 'bt601 (525)',
  12: 'user defined',
};

export function dpxTransferName(code: number): string | undefined {
  return TRANSFERS[code];
}

/** The first 2048 bytes of a file, parsed as a DPX header; undefined when it is not one. */
export async function readDpx(file: string): Promise<DpxHeader | undefined> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(2048);
    const { bytesRead } = await handle.read(buffer, 0, 2048, 0);
    return parseDpxHeader(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Pure: what a DPX header states, each with the header and field it came from. The file
 * header's creator is the writing software, not a camera: the camera is the orientation
 * header's input device.
 */
export function dpxFacts(header: DpxHeader): Fact[] {
  const facts: Fact[] = [];
  const add = (field: Fact['field'], value: unknown, detail: string) =>
    facts.push({ field, value, source: 'sequence', detail: `DPX ${detail}`, priority: PRIORITY.sequence });
  add('picture.width', header.width, 'image header pixels per line');
  add('picture.height', header.height, 'image header lines per element');
  if (header.bitDepth) add('picture.bitDepth', header.bitDepth, 'image element bit size');
  if (header.timecode) add('time.startTimecode', header.timecode, 'television header time code');
  if (header.dropFrame) add('time.dropFrame', true, 'television header time code drop-frame flag');
  if (header.interlace === 0 || header.interlace === 1)
    add('picture.scan', header.interlace === 0 ? 'progressive' : 'interlaced', 'television header interlace');
  if (header.frameRate) {
    try {
      const rate = parseFrameRate(String(header.frameRate));
      const which = header.frameRate === header.filmFrameRate ? 'film header' : 'television header';
      add('picture.frameRate', { num: rate.num, den: rate.den }, `${which} frame rate`);
    } catch {
      // An odd rate in the header is left out rather than guessed.
    }
  }
  const transfer = dpxTransferName(header.transfer);
  if (transfer) add('color.transfer', transfer, 'transfer characteristic');
  if (header.inputDevice) add('camera.model', header.inputDevice, 'orientation header input device');
  if (header.inputSerial) add('camera.serial', header.inputSerial, 'orientation header input device serial');
  if (header.pixelAspect)
    add(
      'picture.pixelAspect',
      header.pixelAspect.horizontal / header.pixelAspect.vertical,
      `orientation header pixel aspect ${header.pixelAspect.horizontal}:${header.pixelAspect.vertical}`,
    );
  if (header.shutterAngle) add('exposure.shutterAngleDeg', header.shutterAngle, 'film header shutter angle');
  if (header.bitDepth) add('picture.codec', `DPX ${header.bitDepth}-bit`, 'image header');
  return facts;
}
