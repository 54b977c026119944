/**
 * Sony NonRealTimeMeta (`urn:schemas-professionalDisc:nonRealTimeMeta`), the `<clip>M01.XML`
 * XDCAM, XAVC and VENICE cameras write beside each clip (and embed in XAVC MP4s). Element and
 * attribute names as the cameras write them: TargetMaterial@umidRef, Duration@value,
 * LtcChangeTable@tcFps/@halfStep with LtcChange@frameCount/@value/@status, CreationDate@value,
 * VideoFormat/VideoFrame@videoCodec/@captureFps/@formatFps, VideoLayout@pixel/
 * @numOfVerticalLine/@aspectRatio, AudioFormat@numOfChannel, Device@manufacturer/@modelName/
 * @serialNo, Lens@modelName, AcquisitionRecord/Group@name/Item@name/@value.
 */
import { attribute, decodeXml, list, parseXml, type XmlNode } from '../manifest/xml.ts';
import { parseFrameRate, type FrameRate } from '@rushes/timecode';
import { decodeSmpteTimecode } from '../sequence/dpx.ts';

/**
 * Pure: a rate as Sony and Panasonic write it, a number and the scan (`23.98p`, `25p`, `50i`,
 * `59.94i`, `59.94p`, `119.88p`). An interlaced rate counts fields: its frame rate is half.
 */
export function parseScanRate(
  written: string,
): { rate: FrameRate; scan: 'progressive' | 'interlaced' } | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([pi])$/i.exec(written.trim());
  if (!match) return undefined;
  const interlaced = match[2]!.toLowerCase() === 'i';
  const value = Number(match[1]) / (interlaced ? 2 : 1);
  try {
    return {
      rate: parseFrameRate(String(Math.round(value * 1000) / 1000), false),
      scan: interlaced ? 'interlaced' : 'progressive',
    };
  } catch {
    return undefined;
  }
}

export interface SonyNrt {
  umid?: string;
  durationFrames?: number;
  startTimecode?: string;
  dropFrame?: boolean;
  /** LtcChangeTable@tcFps: the timecode's frames per second (30 for 29.97). */
  timecodeFps?: number;
  /** LtcChangeTable@halfStep: the picture runs at twice the timecode rate (60p on 30 fps TC). */
  halfStep?: boolean;
  creationDate?: string;
  videoCodec?: string;
  /** As written: `23.98p`, `25p`, `59.94i`. */
  captureFps?: string;
  formatFps?: string;
  width?: number;
  height?: number;
  aspectRatio?: string;
  audioChannels?: number;
  manufacturer?: string;
  model?: string;
  serial?: string;
  lens?: string;
  /** AcquisitionRecord items by group: `CameraUnitMetadataSet` → `CaptureGammaEquation` → value. */
  acquisition: Record<string, Record<string, string>>;
}

export class SonyNrtError extends Error {
  override name = 'SonyNrtError';
}

/**
 * Pure: an LtcChange value. Current cameras write the four SMPTE 12M time code bytes as hex, frames
 * first (`17305719` = 19:57:30:17; 0x40 in the frames byte is the drop-frame flag); older ones
 * the time code as text (`01:00:00:00`).
 */
export function decodeLtcChangeValue(value: string): { timecode: string; dropFrame: boolean } | undefined {
  const trimmed = value.trim();
  const written = /^(\d{2}):(\d{2}):(\d{2})([:;.,])(\d{2})$/.exec(trimmed);
  if (written) return { timecode: trimmed, dropFrame: written[4] !== ':' };
  if (!/^[0-9a-f]{8}$/i.test(trimmed)) return undefined;
  const byte = (i: number) => Number.parseInt(trimmed.slice(i * 2, i * 2 + 2), 16);
  const packed = ((byte(3) << 24) | (byte(2) << 16) | (byte(1) << 8) | byte(0)) >>> 0;
  const decoded = decodeSmpteTimecode(packed);
  if (!decoded) return undefined;
  const timecode = decoded.dropFrame ? decoded.timecode.replace(/:(\d{2})$/, ';$1') : decoded.timecode;
  return { timecode, dropFrame: decoded.dropFrame };
}

const positiveInt = (text: string | undefined) => {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
};

/** Pure: the fields of an M01.XML document; throws SonyNrtError when it is not one. */
export function parseSonyNrt(bytes: Uint8Array | string): SonyNrt {
  const document = parseXml(typeof bytes === 'string' ? bytes : decodeXml(bytes));
  const root = document['NonRealTimeMeta'] as XmlNode | undefined;
  if (!root || typeof root !== 'object') throw new SonyNrtError('not a Sony NonRealTimeMeta document');
  const one = (node: unknown, name: string) => list((node as XmlNode | undefined)?.[name])[0];
  const attr = (node: unknown, name: string) => {
    const v = attribute(node, name)?.trim();
    return v ? v : undefined;
  };
  const result: SonyNrt = { acquisition: {} };
  const set = <K extends keyof SonyNrt>(key: K, value: SonyNrt[K] | undefined) => {
    if (value !== undefined) result[key] = value;
  };
  set('umid', attr(one(root, 'TargetMaterial'), 'umidRef'));
  set('durationFrames', positiveInt(attr(one(root, 'Duration'), 'value')));
  const ltc = one(root, 'LtcChangeTable');
  if (ltc) {
    set('timecodeFps', positiveInt(attr(ltc, 'tcFps')));
    const halfStep = attr(ltc, 'halfStep');
    if (halfStep !== undefined) result.halfStep = halfStep === 'true';
    const changes = list(ltc['LtcChange']);
    // The start is the change at frame 0 (the table lists breaks and the end).
    const first = changes.find((c) => attr(c, 'frameCount') === '0') ?? changes[0];
    const decoded = first ? decodeLtcChangeValue(attr(first, 'value') ?? '') : undefined;
    if (decoded) {
      result.startTimecode = decoded.timecode;
      result.dropFrame = decoded.dropFrame;
    }
  }
  set('creationDate', attr(one(root, 'CreationDate'), 'value'));
  const video = one(root, 'VideoFormat');
  const frame = one(video, 'VideoFrame');
  set('videoCodec', attr(frame, 'videoCodec'));
  set('captureFps', attr(frame, 'captureFps'));
  set('formatFps', attr(frame, 'formatFps'));
  // VideoLayout sits in VideoFormat (some writers nest it in VideoFrame).
  const layout = one(video, 'VideoLayout') ?? one(frame, 'VideoLayout');
  set('width', positiveInt(attr(layout, 'pixel')));
  set('height', positiveInt(attr(layout, 'numOfVerticalLine')));
  set('aspectRatio', attr(layout, 'aspectRatio'));
  set('audioChannels', positiveInt(attr(one(root, 'AudioFormat'), 'numOfChannel')));
  const device = one(root, 'Device');
  set('manufacturer', attr(device, 'manufacturer'));
  set('model', attr(device, 'modelName'));
  set('serial', attr(device, 'serialNo'));
  set('lens', attr(one(root, 'Lens'), 'modelName'));
  for (const group of list(one(root, 'AcquisitionRecord')?.['Group'])) {
    const name = attr(group, 'name');
    if (!name) continue;
    const items = (result.acquisition[name] ??= {});
    for (const item of list(group['Item'])) {
      const key = attr(item, 'name');
      const value = attr(item, 'value');
      if (key && value !== undefined) items[key] = value;
    }
  }
  return result;
}
