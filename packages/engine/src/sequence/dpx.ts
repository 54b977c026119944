/**
 * DPX headers (SMPTE 268M): file, image, orientation, film and television headers at fixed
 * offsets, in big- or little-endian byte order ('SDPX' / 'XPDS'). The timecode is BCD-encoded.
 */

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
  creator?: string;
  project?: string;
  creationTime?: string;
  timecode?: string;
  userBits?: number;
  /** Television header frame rate, else the film header's. */
  frameRate?: number;
  filmFrameRate?: number;
}

const UNDEFINED_U32 = 0xffffffff;

const text = (buffer: Buffer, offset: number, length: number) => {
  const raw = buffer.toString('latin1', offset, offset + length);
  const end = raw.indexOf('\0');
  return (end === -1 ? raw : raw.slice(0, end)).trim() || undefined;
};

/** Pure: 0x01000000 → `01:00:00:00`; undefined for the "unset" value or invalid digits. */
export function decodeBcdTimecode(value: number): string | undefined {
  if (value === UNDEFINED_U32) return undefined;
  const digits = value.toString(16).padStart(8, '0');
  if (!/^\d{8}$/.test(digits)) return undefined;
  const [hh, mm, ss, ff] = [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4, 6), digits.slice(6, 8)];
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return undefined;
  return `${hh}:${mm}:${ss}:${ff}`;
}

/** Pure: parses the first 2048 bytes of a DPX file; undefined when it is not one. */
export function parseDpxHeader(buffer: Buffer): DpxHeader | undefined {
  if (buffer.length < 2048) return undefined;
  const magic = buffer.toString('latin1', 0, 4);
  if (magic !== 'SDPX' && magic !== 'XPDS') return undefined;
  const be = magic === 'SDPX';
  const u32 = (o: number) => (be ? buffer.readUInt32BE(o) : buffer.readUInt32LE(o));
  const f32 = (o: number) => {
    const v = be ? buffer.readFloatBE(o) : buffer.readFloatLE(o);
    return Number.isFinite(v) && v > 0 && v < 1000 ? Math.round(v * 1000) / 1000 : undefined;
  };
  const header: DpxHeader = {
    bigEndian: be,
    version: text(buffer, 8, 8) ?? '',
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
  set('creationTime', text(buffer, 160, 24));
  set('creator', text(buffer, 184, 100));
  set('project', text(buffer, 284, 200));
  // The film and television headers exist only when the image data starts after them (some
  // writers, ffmpeg among them, put pixels right after the orientation header).
  const imageOffset = u32(4);
  const film = imageOffset >= 1920;
  const television = imageOffset >= 2048;
  if (television) {
    set('timecode', decodeBcdTimecode(u32(1920)));
    const userBits = u32(1924);
    if (userBits !== UNDEFINED_U32) header.userBits = userBits;
  }
  if (film) set('filmFrameRate', f32(1724));
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
