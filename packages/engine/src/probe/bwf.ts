/**
 * Broadcast WAV (EBU Tech 3285) and iXML, read from the file's chunks without loading the audio:
 * - bext: description, originator, origination date/time, TimeReference (an unsigned 64-bit
 *   sample count since midnight, kept as a bigint), coding history;
 * - iXML: project, scene, take, tape, circled, note, speed (timecode rate and flag, or the master
 *   speed when a recorder writes only that, as Nuendo does; the timestamp), track names.
 * The start timecode is the TimeReference at the iXML timecode rate; without a bext chunk, the
 * iXML SPEED timestamp (samples since midnight at its own sample rate).
 */
import { open } from 'node:fs/promises';
import { FRAME_RATES, frameRate, parseFrameRate, Timecode, type FrameRate } from '@rushes/timecode';
import { decodeXml, list, parseXml, text, type XmlNode } from '../manifest/xml.ts';
import { PRIORITY, type Fact } from './facts.ts';

export interface Bext {
  description: string;
  originator: string;
  originatorReference: string;
  originationDate: string;
  originationTime: string;
  /** Samples since midnight (unsigned 64-bit). */
  timeReference: bigint;
  version: number;
  codingHistory: string;
}

export interface IXml {
  project?: string;
  scene?: string;
  take?: string;
  tape?: string;
  circled?: boolean;
  note?: string;
  timecodeRate?: FrameRate;
  /** The SPEED element the rate came from. */
  timecodeRateFrom?: 'TIMECODE_RATE' | 'MASTER_SPEED';
  /** SPEED TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI/LO (unsigned 64-bit) at TIMESTAMP_SAMPLE_RATE. */
  timestampSamples?: bigint;
  timestampSampleRate?: number;
  trackNames: string[];
}

export interface WaveInfo {
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  formatTag?: number;
  bext?: Bext;
  ixml?: IXml;
}

/** A fixed-size text field: up to its first NUL. */
const latin1 = (bytes: Uint8Array) => {
  const text = new TextDecoder('latin1').decode(bytes);
  const end = text.indexOf('\0');
  return (end === -1 ? text : text.slice(0, end)).trim();
};

/** Pure: the bext chunk's fields. */
export function parseBext(data: Buffer): Bext {
  const low = data.length >= 342 ? data.readUInt32LE(338) : 0;
  const high = data.length >= 346 ? data.readUInt32LE(342) : 0;
  return {
    description: latin1(data.subarray(0, 256)),
    originator: latin1(data.subarray(256, 288)),
    originatorReference: latin1(data.subarray(288, 320)),
    originationDate: latin1(data.subarray(320, 330)),
    originationTime: latin1(data.subarray(330, 338)),
    timeReference: (BigInt(high) << 32n) | BigInt(low),
    version: data.length >= 348 ? data.readUInt16LE(346) : 0,
    codingHistory: data.length > 602 ? latin1(data.subarray(602)) : '',
  };
}

/** iXML TIMECODE_RATE (`24000/1001`, `25`) and TIMECODE_FLAG (`DF`/`NDF`) → a frame rate. */
function ixmlRate(rate: string | undefined, flag: string | undefined): FrameRate | undefined {
  if (!rate) return undefined;
  const dropFrame = (flag ?? '').trim().toUpperCase() === 'DF';
  try {
    const parsed = parseFrameRate(rate.trim(), false);
    return dropFrame ? frameRate(parsed.num, parsed.den, true) : parsed;
  } catch {
    return undefined;
  }
}

/** Pure: the iXML fields we use. Tolerates recorders' variations (case, missing sections). */
export function parseIXml(bytes: Uint8Array): IXml {
  // Recorders pad the chunk with NULs after the document.
  const decoded = decodeXml(bytes);
  const end = decoded.indexOf('\0');
  const document = parseXml(end === -1 ? decoded : decoded.slice(0, end));
  const root = (document['BWFXML'] ?? document['bwfxml'] ?? {}) as XmlNode;
  const value = (node: unknown) => {
    const t = text(node);
    return t === undefined || t === '' ? undefined : t;
  };
  const speed = (list(root['SPEED'])[0] ?? {}) as XmlNode;
  const tracks = list((list(root['TRACK_LIST'])[0] ?? {})['TRACK']);
  const circled = value(root['CIRCLED']);
  const result: IXml = {
    trackNames: tracks.map((t) => value(t['NAME']) ?? '').filter(Boolean),
  };
  const set = <K extends keyof IXml>(key: K, v: IXml[K] | undefined) => {
    if (v !== undefined) result[key] = v;
  };
  set('project', value(root['PROJECT']));
  set('scene', value(root['SCENE']));
  set('take', value(root['TAKE']));
  set('tape', value(root['TAPE']));
  set('note', value(root['NOTE']));
  if (circled !== undefined) result.circled = /^(true|1|yes)$/i.test(circled);
  // iXML SPEED: TIMECODE_RATE is the timecode's rate; a recorder that writes only the production's
  // MASTER_SPEED (Nuendo) counts its timecode at that speed.
  const flag = value(speed['TIMECODE_FLAG']);
  const byTimecodeRate = ixmlRate(value(speed['TIMECODE_RATE']), flag);
  const byMasterSpeed = byTimecodeRate ? undefined : ixmlRate(value(speed['MASTER_SPEED']), flag);
  if (byTimecodeRate) {
    result.timecodeRate = byTimecodeRate;
    result.timecodeRateFrom = 'TIMECODE_RATE';
  } else if (byMasterSpeed) {
    result.timecodeRate = byMasterSpeed;
    result.timecodeRateFrom = 'MASTER_SPEED';
  }
  const u32 = (node: unknown) => {
    const t = value(node)?.trim();
    return t && /^\d+$/.test(t) && Number(t) <= 0xffffffff ? BigInt(t) : undefined;
  };
  const high = u32(speed['TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI']);
  const low = u32(speed['TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO']);
  const stampRate = Number(value(speed['TIMESTAMP_SAMPLE_RATE']));
  if (high !== undefined && low !== undefined && Number.isInteger(stampRate) && stampRate > 0) {
    result.timestampSamples = (high << 32n) | low;
    result.timestampSampleRate = stampRate;
  }
  return result;
}

/** Reads the chunks of a RIFF/RF64 WAVE file up to 64 MiB of metadata; the audio is skipped. */
export async function readWave(file: string): Promise<WaveInfo | undefined> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(12);
    await handle.read(header, 0, 12, 0);
    const riff = header.toString('latin1', 0, 4);
    if (!['RIFF', 'RF64', 'BW64'].includes(riff) || header.toString('latin1', 8, 12) !== 'WAVE')
      return undefined;
    const { size } = await handle.stat();
    const info: WaveInfo = {};
    let position = 12;
    const chunkHeader = Buffer.alloc(8);
    while (position + 8 <= size) {
      await handle.read(chunkHeader, 0, 8, position);
      const id = chunkHeader.toString('latin1', 0, 4);
      const length = chunkHeader.readUInt32LE(4);
      const body = position + 8;
      if (id === 'fmt ' || id === 'bext' || id === 'iXML') {
        if (length > 64 * 1024 * 1024) break;
        const data = Buffer.alloc(length);
        await handle.read(data, 0, length, body);
        if (id === 'fmt ' && length >= 16) {
          info.formatTag = data.readUInt16LE(0);
          info.channels = data.readUInt16LE(2);
          info.sampleRate = data.readUInt32LE(4);
          info.bitsPerSample = data.readUInt16LE(14);
        } else if (id === 'bext') {
          info.bext = parseBext(data);
        } else {
          try {
            info.ixml = parseIXml(data);
          } catch {
            // A broken iXML chunk does not hide the rest of the file.
          }
        }
      }
      // RF64 keeps the real data size in ds64; 0xFFFFFFFF there means "see ds64": stop at data.
      if (id === 'data' && length === 0xffffffff) break;
      position = body + length + (length % 2);
    }
    return info;
  } finally {
    await handle.close();
  }
}

export function waveFacts(info: WaveInfo): Fact[] {
  const facts: Fact[] = [];
  const add = (field: Fact['field'], value: unknown, source: 'bext' | 'ixml' | 'stream', detail: string) =>
    facts.push({ field, value, source, detail, priority: PRIORITY[source] });
  if (info.channels) add('audio.channels', info.channels, 'stream', 'fmt.channels');
  if (info.sampleRate) add('audio.sampleRateHz', info.sampleRate, 'stream', 'fmt.sampleRate');
  if (info.bitsPerSample) add('audio.bitDepth', info.bitsPerSample, 'stream', 'fmt.bitsPerSample');
  const { bext, ixml } = info;
  if (bext) {
    add('audio.originator', bext.originator, 'bext', 'bext.Originator');
    if (bext.originationDate) {
      const date = bext.originationDate.replace(/[:/.]/g, '-');
      const time = bext.originationTime.replace(/[-/.]/g, ':');
      add('identity.recordDate', time ? `${date}T${time}` : date, 'bext', 'bext.OriginationDate');
    }
  }
  if (ixml) {
    add('audio.project', ixml.project, 'ixml', 'iXML PROJECT');
    add('audio.scene', ixml.scene, 'ixml', 'iXML SCENE');
    add('identity.scene', ixml.scene, 'ixml', 'iXML SCENE');
    add('audio.take', ixml.take, 'ixml', 'iXML TAKE');
    add('identity.take', ixml.take, 'ixml', 'iXML TAKE');
    add('audio.tape', ixml.tape, 'ixml', 'iXML TAPE');
    add('identity.reel', ixml.tape, 'ixml', 'iXML TAPE');
    if (ixml.circled !== undefined) add('audio.circled', ixml.circled, 'ixml', 'iXML CIRCLED');
    add('audio.note', ixml.note, 'ixml', 'iXML NOTE');
    if (ixml.trackNames.length) add('audio.trackNames', ixml.trackNames, 'ixml', 'iXML TRACK_LIST');
  }
  const rate = ixml?.timecodeRate;
  if (rate) {
    const name = Object.entries(FRAME_RATES).find(
      ([, r]) => r.num * rate.den === rate.num * r.den && r.dropFrame === rate.dropFrame,
    )?.[0];
    const from = `iXML SPEED/${ixml?.timecodeRateFrom ?? 'TIMECODE_RATE'}`;
    add('audio.speed', name ?? `${rate.num}/${rate.den}`, 'ixml', from);
    add('picture.frameRate', { num: rate.num, den: rate.den }, 'ixml', from);
    add('time.dropFrame', rate.dropFrame, 'ixml', 'iXML SPEED/TIMECODE_FLAG');
  }
  if (bext && rate && info.sampleRate) {
    const start = Timecode.fromSamples(bext.timeReference, info.sampleRate, rate);
    add('time.startTimecode', start.toString(), 'bext', `bext.TimeReference ${bext.timeReference} samples`);
  } else if (!bext && rate && ixml?.timestampSamples !== undefined && ixml.timestampSampleRate) {
    const start = Timecode.fromSamples(ixml.timestampSamples, ixml.timestampSampleRate, rate);
    add(
      'time.startTimecode',
      start.toString(),
      'ixml',
      `iXML SPEED/TIMESTAMP_SAMPLES_SINCE_MIDNIGHT ${ixml.timestampSamples} at ${ixml.timestampSampleRate} Hz`,
    );
  }
  return facts;
}
