/**
 * Truncation decided from a container's own structure, reading only the bytes it needs (box and
 * chunk headers, the QuickTime sample tables, MXF partition packs), never the essence:
 *
 * - QuickTime/MP4 (ISO BMFF): every top-level box must fit in the file, and every chunk the sample
 *   tables (`stco`/`co64` offsets, `stsc` samples per chunk, `stsz`/`stz2` sizes) point at must
 *   end within it — a `moov` at the front says exactly where the media ends.
 * - RIFF/RF64/BW64 (WAV, BWF) and AIFF: the RIFF/FORM size and every chunk (`data`, `SSND`) must
 *   fit; RF64's 64-bit sizes come from its `ds64` chunk.
 * - MXF: the header partition's footer offset (or the Random Index Pack's) must hold a footer
 *   partition pack whose header metadata and index tables fit; with neither, every KLV from the
 *   start must fit.
 *
 * A `Reader` is any source of bytes (a file handle, a Buffer), so the parsers are tested on
 * hand-built headers.
 */
import { open } from 'node:fs/promises';

export interface Reader {
  /** The file's size in bytes. */
  size: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Buffer>;
}

export interface StructureCheck {
  container: 'QuickTime' | 'RIFF' | 'AIFF' | 'MXF';
  truncated: boolean;
  /** What was checked, or what is missing — a sentence for a person. */
  detail: string;
  /** How many bytes the structure says are missing, when it says. */
  missingBytes?: number;
}

/** A Reader over a Buffer (tests, and small files already in memory). */
export function bufferReader(data: Buffer): Reader {
  return {
    size: data.length,
    read: async (offset, length) => data.subarray(offset, Math.min(data.length, offset + length)),
  };
}

const MAX_MOOV_BYTES = 256 * 1024 * 1024;
const MAX_KLV_WALK = 2_000_000;

const cut = (
  container: StructureCheck['container'],
  what: string,
  end: number,
  size: number,
): StructureCheck => ({
  container,
  truncated: true,
  detail: `${what} ends at byte ${end}, but the file has ${size} bytes (${end - size} missing)`,
  missingBytes: end - size,
});

// ─── QuickTime / ISO BMFF ───────────────────────────────────────────────────────────────────────

const TOP_LEVEL = new Set([
  'ftyp',
  'wide',
  'mdat',
  'moov',
  'free',
  'skip',
  'pnot',
  'uuid',
  'meta',
  'moof',
  'mfra',
  'styp',
  'sidx',
  'pdin',
  'junk',
  'PICT',
  'prfl',
]);

const isFourCC = (b: Buffer) => b.length === 4 && [...b].every((c) => c >= 0x20 && c <= 0x7e);

interface Box {
  type: string;
  /** Offset of the box's contents (after its header), within the buffer or file. */
  start: number;
  end: number;
}

/** Pure: the boxes in `data[from, to)`; a box running past `to` ends the list (reported by the caller). */
function childBoxes(data: Buffer, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) break;
      size = Number(data.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) break;
    boxes.push({ type, start: at + header, end: at + size });
    at += size;
  }
  return boxes;
}

const child = (data: Buffer, box: Box | undefined, type: string) =>
  box ? childBoxes(data, box.start, box.end).find((b) => b.type === type) : undefined;

/**
 * Pure: where the media a `trak` box points at ends in the file (the furthest chunk end), or
 * undefined when its samples live elsewhere (an external data reference) or it has no table.
 * Chunk sizes are a lower bound where QuickTime's sound tables count samples of 1 byte.
 */
export function trackMediaEnd(data: Buffer, trak: Box): number | undefined {
  const minf = child(data, child(data, trak, 'mdia'), 'minf');
  const dref = child(data, child(data, minf, 'dinf'), 'dref');
  if (dref) {
    // Entries (url /alis/…) with flag 1 are "self-contained": in this file. Any other is elsewhere.
    const entries = childBoxes(data, dref.start + 8, dref.end);
    if (entries.some((e) => (data.readUInt32BE(e.start) & 1) === 0)) return undefined;
  }
  const stbl = child(data, minf, 'stbl');
  if (!stbl) return undefined;
  const boxes = childBoxes(data, stbl.start, stbl.end);
  const find = (type: string) => boxes.find((b) => b.type === type);
  const stco = find('stco');
  const co64 = find('co64');
  const stsc = find('stsc');
  const stsz = find('stsz');
  const stz2 = find('stz2');
  const offsets: number[] = [];
  if (co64) {
    const n = data.readUInt32BE(co64.start + 4);
    for (let i = 0; i < n && co64.start + 8 + 8 * i + 8 <= co64.end; i += 1)
      offsets.push(Number(data.readBigUInt64BE(co64.start + 8 + 8 * i)));
  } else if (stco) {
    const n = data.readUInt32BE(stco.start + 4);
    for (let i = 0; i < n && stco.start + 8 + 4 * i + 4 <= stco.end; i += 1)
      offsets.push(data.readUInt32BE(stco.start + 8 + 4 * i));
  }
  if (offsets.length === 0) return undefined;

  // Sample sizes: one constant, or a table (stsz 32-bit, stz2 4/8/16-bit).
  let constant = 0;
  let sampleCount = 0;
  let sizeOf: (i: number) => number = () => 0;
  if (stsz) {
    constant = data.readUInt32BE(stsz.start + 4);
    sampleCount = data.readUInt32BE(stsz.start + 8);
    const table = stsz.start + 12;
    sizeOf = constant
      ? () => constant
      : (i) => (table + 4 * i + 4 <= stsz.end ? data.readUInt32BE(table + 4 * i) : 0);
  } else if (stz2) {
    const field = data.readUInt8(stz2.start + 7);
    sampleCount = data.readUInt32BE(stz2.start + 8);
    const table = stz2.start + 12;
    sizeOf = (i) => {
      if (field === 16) return table + 2 * i + 2 <= stz2.end ? data.readUInt16BE(table + 2 * i) : 0;
      if (field === 8) return table + i < stz2.end ? data.readUInt8(table + i) : 0;
      const byte = table + (i >> 1) < stz2.end ? data.readUInt8(table + (i >> 1)) : 0;
      return i % 2 === 0 ? byte >> 4 : byte & 0x0f;
    };
  }
  // Samples per chunk: runs of (first chunk, samples per chunk).
  const runs: { first: number; samples: number }[] = [];
  if (stsc) {
    const n = data.readUInt32BE(stsc.start + 4);
    for (let i = 0; i < n && stsc.start + 8 + 12 * i + 12 <= stsc.end; i += 1)
      runs.push({
        first: data.readUInt32BE(stsc.start + 8 + 12 * i),
        samples: data.readUInt32BE(stsc.start + 12 + 12 * i),
      });
  }
  let furthest = 0;
  let sample = 0;
  let run = 0;
  for (let chunk = 0; chunk < offsets.length; chunk += 1) {
    while (run + 1 < runs.length && runs[run + 1]!.first <= chunk + 1) run += 1;
    const perChunk = runs.length ? runs[run]!.samples : 1;
    let bytes = 0;
    if (constant) bytes = constant * Math.min(perChunk, Math.max(0, sampleCount - sample));
    else for (let s = 0; s < perChunk && sample + s < sampleCount; s += 1) bytes += sizeOf(sample + s);
    sample += perChunk;
    furthest = Math.max(furthest, offsets[chunk]! + bytes);
  }
  return furthest;
}

export async function checkQuickTime(reader: Reader): Promise<StructureCheck | undefined> {
  const { size } = reader;
  let at = 0;
  let moov: { offset: number; length: number } | undefined;
  let boxes = 0;
  while (at < size) {
    const head = await reader.read(at, 16);
    if (head.length < 8) return cut('QuickTime', `the box header at byte ${at}`, at + 8, size);
    const type = head.subarray(4, 8);
    if (!isFourCC(type)) {
      // Not a box: not ISO media at all, or padding after the last box of a finished file.
      return boxes === 0 ? undefined : { container: 'QuickTime', truncated: false, detail: 'boxes fit' };
    }
    let boxSize = head.readUInt32BE(0);
    let header = 8;
    if (boxSize === 1) {
      if (head.length < 16) return cut('QuickTime', `the box header at byte ${at}`, at + 16, size);
      boxSize = Number(head.readBigUInt64BE(8));
      header = 16;
    } else if (boxSize === 0) boxSize = size - at;
    const name = type.toString('latin1');
    if (boxes === 0 && !TOP_LEVEL.has(name)) return undefined;
    if (boxSize < header)
      return boxes === 0 ? undefined : { container: 'QuickTime', truncated: false, detail: 'boxes fit' };
    if (at + boxSize > size) return cut('QuickTime', `the '${name}' box at byte ${at}`, at + boxSize, size);
    if (name === 'moov') moov = { offset: at, length: boxSize };
    boxes += 1;
    at += boxSize;
  }
  if (!moov)
    return {
      container: 'QuickTime',
      truncated: false,
      detail: 'boxes fit; no movie box to check samples against',
    };
  if (moov.length > MAX_MOOV_BYTES)
    return {
      container: 'QuickTime',
      truncated: false,
      detail: 'boxes fit; movie box too large to check samples',
    };
  const data = await reader.read(moov.offset, moov.length);
  const moovBox = childBoxes(data, 0, data.length)[0];
  if (!moovBox) return { container: 'QuickTime', truncated: false, detail: 'boxes fit' };
  let tracks = 0;
  for (const trak of childBoxes(data, moovBox.start, moovBox.end).filter((b) => b.type === 'trak')) {
    tracks += 1;
    const end = trackMediaEnd(data, trak);
    if (end !== undefined && end > size)
      return cut('QuickTime', `the media of track ${tracks} (its sample table)`, end, size);
  }
  return {
    container: 'QuickTime',
    truncated: false,
    detail: `boxes and the samples of ${tracks} track(s) fit`,
  };
}

// ─── RIFF (WAV, BWF, RF64, BW64) and AIFF ───────────────────────────────────────────────────────

export async function checkRiff(reader: Reader): Promise<StructureCheck | undefined> {
  const { size } = reader;
  const head = await reader.read(0, 12);
  if (head.length < 12) return undefined;
  const magic = head.toString('latin1', 0, 4);
  const big = magic === 'FORM';
  if (!['RIFF', 'RF64', 'BW64', 'FORM'].includes(magic)) return undefined;
  const container = big ? 'AIFF' : 'RIFF';
  const u32 = (b: Buffer, at: number) => (big ? b.readUInt32BE(at) : b.readUInt32LE(at));
  let formSize = u32(head, 4);
  let dataSize: number | undefined;
  let at = 12;
  if (magic !== 'RIFF' && magic !== 'FORM') {
    // RF64/BW64: the real sizes are in the ds64 chunk that follows.
    const ds64 = await reader.read(12, 32);
    if (ds64.length < 8) return cut(container, 'the ds64 chunk header', 20, size);
    if (ds64.toString('latin1', 0, 4) !== 'ds64') return undefined;
    if (ds64.length < 24) return cut(container, 'the ds64 chunk', 20 + ds64.readUInt32LE(4), size);
    formSize = Number(ds64.readBigUInt64LE(8));
    dataSize = Number(ds64.readBigUInt64LE(16));
  }
  // The pad byte after an odd-sized last chunk is often left out: one byte of grace.
  if (8 + formSize > size + 1)
    return cut(container, `the ${magic} form (its declared size)`, 8 + formSize, size);
  let chunks = 0;
  while (at + 8 <= size) {
    const chunk = await reader.read(at, 8);
    const id = chunk.toString('latin1', 0, 4);
    if (!isFourCC(chunk.subarray(0, 4))) break;
    let length = u32(chunk, 4);
    if (id === 'data' && length === 0xffffffff && dataSize !== undefined) length = dataSize;
    const end = at + 8 + length;
    if (end > size) return cut(container, `the '${id.trim()}' chunk at byte ${at}`, end, size);
    chunks += 1;
    at = end + (length % 2);
  }
  if (at < size && at + 8 > size && chunks > 0 && 8 + formSize > at)
    return cut(container, `the chunk header at byte ${at}`, at + 8, size);
  return { container, truncated: false, detail: `the ${magic} form and its ${chunks} chunk(s) fit` };
}

// ─── MXF ────────────────────────────────────────────────────────────────────────────────────────

const MXF_KEY_PREFIX = Buffer.from('060e2b34', 'hex');
/** Partition pack keys: 06.0e.2b.34.02.05.01.01.0d.01.02.01.01.{02 header,03 body,04 footer}.xx.00 */
const isPartitionKey = (key: Buffer) =>
  key.length >= 16 &&
  key.subarray(0, 4).equals(MXF_KEY_PREFIX) &&
  key.subarray(4, 13).equals(Buffer.from('020501010d01020101', 'hex')) &&
  key[13]! >= 2 &&
  key[13]! <= 4;
const isRipKey = (key: Buffer) =>
  key.length >= 16 &&
  key.subarray(0, 4).equals(MXF_KEY_PREFIX) &&
  key.subarray(4, 16).equals(Buffer.from('020501010d0102010111010' + '0', 'hex'));

/** Pure: a BER length at `at` → its value and how many bytes it took. */
export function berLength(data: Buffer, at: number): { length: number; bytes: number } | undefined {
  if (at >= data.length) return undefined;
  const first = data[at]!;
  if (first < 0x80) return { length: first, bytes: 1 };
  const n = first & 0x7f;
  if (n === 0 || n > 8 || at + 1 + n > data.length) return undefined;
  let length = 0;
  for (let i = 0; i < n; i += 1) length = length * 256 + data[at + 1 + i]!;
  return { length, bytes: 1 + n };
}

export interface PartitionPack {
  kind: 'header' | 'body' | 'footer';
  /** Where the pack's KLV starts (relative to the run-in), and where it ends. */
  thisPartition: number;
  footerPartition: number;
  headerByteCount: number;
  indexByteCount: number;
  kagSize: number;
  /** Bytes of the pack's own KLV (key + length + value). */
  packBytes: number;
}

/** Pure: a partition pack from the bytes of its KLV, or undefined when it is not one. */
export function parsePartitionPack(data: Buffer): PartitionPack | undefined {
  if (!isPartitionKey(data)) return undefined;
  const ber = berLength(data, 16);
  if (!ber || data.length < 16 + ber.bytes + 64) return undefined;
  const v = 16 + ber.bytes;
  const u64 = (at: number) => Number(data.readBigUInt64BE(v + at));
  return {
    kind: (['header', 'body', 'footer'] as const)[data[13]! - 2]!,
    kagSize: data.readUInt32BE(v + 4),
    thisPartition: u64(8),
    footerPartition: u64(24),
    headerByteCount: u64(32),
    indexByteCount: u64(40),
    packBytes: 16 + ber.bytes + ber.length,
  };
}

export async function checkMxf(reader: Reader): Promise<StructureCheck | undefined> {
  const { size } = reader;
  // A run-in of up to 64 KiB may precede the header partition pack.
  const start = await reader.read(0, 65_536 + 16);
  let runIn = -1;
  for (let i = 0; i + 16 <= start.length && i <= 65_536; i += 1) {
    if (start[i] === 0x06 && start[i + 1] === 0x0e && isPartitionKey(start.subarray(i, i + 16))) {
      runIn = i;
      break;
    }
  }
  if (runIn < 0) return undefined;
  const header = parsePartitionPack(await reader.read(runIn, 256));
  if (!header) return cut('MXF', 'the header partition pack', runIn + 256, size);
  const partitionFits = async (offset: number, label: string): Promise<StructureCheck | undefined> => {
    const at = runIn + offset;
    if (at + 16 > size) return cut('MXF', `the ${label} partition`, at + 16, size);
    const bytes = await reader.read(at, 256);
    if (!isPartitionKey(bytes)) {
      // Something else where the file says a partition is: damage, not a short file.
      return { container: 'MXF', truncated: false, detail: `no ${label} partition pack at byte ${at}` };
    }
    const ber = berLength(bytes, 16);
    if (!ber) return cut('MXF', `the ${label} partition pack's length`, at + 25, size);
    const end = at + 16 + ber.bytes + ber.length;
    if (end > size) return cut('MXF', `the ${label} partition pack`, end, size);
    const pack = parsePartitionPack(bytes);
    if (!pack)
      return { container: 'MXF', truncated: false, detail: `the ${label} partition pack is malformed` };
    // Header metadata and index tables follow the pack (after KAG fill, counted in the byte counts).
    const contentsEnd = end + pack.headerByteCount + pack.indexByteCount;
    if (contentsEnd > size)
      return cut('MXF', `the ${label} partition's metadata and index tables`, contentsEnd, size);
    return undefined;
  };
  const headerProblem = await partitionFits(header.thisPartition, 'header');
  if (headerProblem) return headerProblem;

  let footer = header.footerPartition;
  if (!footer) {
    // An open header (written while recording) names no footer: the Random Index Pack at the end does.
    const tail = await reader.read(Math.max(0, size - 4), 4);
    const ripLength = tail.length === 4 ? tail.readUInt32BE(0) : 0;
    if (ripLength >= 20 && ripLength <= size) {
      const rip = await reader.read(size - ripLength, ripLength);
      if (isRipKey(rip)) {
        const ber = berLength(rip, 16);
        const entries = ber ? rip.subarray(16 + ber.bytes, rip.length - 4) : Buffer.alloc(0);
        if (entries.length >= 12) footer = Number(entries.readBigUInt64BE(entries.length - 8));
      }
    }
  }
  if (footer) {
    const footerProblem = await partitionFits(footer, 'footer');
    if (footerProblem) return footerProblem;
    // From the footer on (its metadata, index tables, the Random Index Pack), every KLV must fit.
    const walked = await walkKlvs(reader, runIn + footer);
    if (walked.problem) return walked.problem;
    return { container: 'MXF', truncated: false, detail: 'the header and footer partitions fit' };
  }
  // Neither says where the footer is: every KLV from the header on must fit.
  const walked = await walkKlvs(reader, runIn);
  if (walked.problem) return walked.problem;
  if (walked.klvs >= MAX_KLV_WALK)
    return {
      container: 'MXF',
      truncated: false,
      detail: `the first ${walked.klvs} KLVs fit (not walked further)`,
    };
  return {
    container: 'MXF',
    truncated: false,
    detail: walked.sawFooter
      ? `${walked.klvs} KLVs fit, ending with a footer`
      : `${walked.klvs} KLVs fit; no footer partition (an open file)`,
  };
}

/** Every KLV from `from` to the end of the file must fit; stops at the first that does not. */
async function walkKlvs(
  reader: Reader,
  from: number,
): Promise<{ klvs: number; sawFooter: boolean; problem?: StructureCheck }> {
  const { size } = reader;
  let at = from;
  let klvs = 0;
  let sawFooter = false;
  while (at < size && klvs < MAX_KLV_WALK) {
    const head = await reader.read(at, 25);
    if (head.length < 17)
      return { klvs, sawFooter, problem: cut('MXF', `the KLV at byte ${at}`, at + 17, size) };
    if (!head.subarray(0, 4).equals(MXF_KEY_PREFIX))
      return {
        klvs,
        sawFooter,
        problem: { container: 'MXF', truncated: false, detail: `byte ${at} is not the start of a KLV` },
      };
    const ber = berLength(head, 16);
    if (!ber) return { klvs, sawFooter, problem: cut('MXF', `the KLV length at byte ${at}`, at + 25, size) };
    const end = at + 16 + ber.bytes + ber.length;
    if (end > size) return { klvs, sawFooter, problem: cut('MXF', `the KLV at byte ${at}`, end, size) };
    if (isPartitionKey(head) && head[13] === 4) sawFooter = true;
    klvs += 1;
    at = end;
  }
  return { klvs, sawFooter };
}

// ─── Dispatch ──────────────────────────────────────────────────────────────────────────────────

/** Pure over a Reader: the container's own verdict, or undefined when it is none of these. */
export async function checkStructure(reader: Reader): Promise<StructureCheck | undefined> {
  const head = await reader.read(0, 16);
  const magic = head.toString('latin1', 0, 4);
  if (['RIFF', 'RF64', 'BW64', 'FORM'].includes(magic)) return checkRiff(reader);
  if (head.length >= 4 && head.subarray(0, 4).equals(MXF_KEY_PREFIX)) return checkMxf(reader);
  if (head.length >= 8 && isFourCC(head.subarray(4, 8))) {
    const quicktime = await checkQuickTime(reader);
    if (quicktime) return quicktime;
  }
  // MXF may start with a run-in.
  return checkMxf(reader);
}

/** `checkStructure` on a file, through one handle. */
export async function checkFileStructure(file: string): Promise<StructureCheck | undefined> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    return await checkStructure({
      size,
      read: async (offset, length) => {
        const want = Math.max(0, Math.min(length, size - offset));
        const buffer = Buffer.alloc(want);
        const { bytesRead } = want ? await handle.read(buffer, 0, want, offset) : { bytesRead: 0 };
        return buffer.subarray(0, bytesRead);
      },
    });
  } finally {
    await handle.close();
  }
}
