/**
 * Panasonic P2 clip metadata (`CONTENTS/CLIP/<clip>.XML`, root `P2Main` in the
 * `urn:schemas-Professional-Plug-in:P2:ClipMetadata` namespace; LUMIX and other "Semi-Pro"
 * cameras write the same structure under `ClipMain`). Element names as the cameras write them:
 * ClipContent/ClipName, GlobalClipID, Duration, EditUnit; EssenceList/Video/Codec, FrameRate,
 * StartTimecode, StartBinaryGroup, AspectRatio; EssenceList/Audio/SamplingRate, BitsPerSample;
 * ClipMetadata/UserClipName, Access/CreationDate, Device/Manufacturer, SerialNo., ModelName,
 * Shoot/StartDate, Scenario/SceneNo., TakeNo.; UserArea/AcquisitionMetadata/CameraUnitMetadata/
 * ISOSensitivity, WhiteBalanceColorTemperature, Gamma/CaptureGamma, Gamut/CaptureGamut.
 */
import { decodeXml, list, parseXml, text, type XmlNode } from '../manifest/xml.ts';

export interface P2Clip {
  clipName?: string;
  globalClipId?: string;
  userClipName?: string;
  durationFrames?: number;
  /** EditUnit as written: the duration of one frame, `1001/30000`. */
  editUnit?: { num: number; den: number };
  codec?: string;
  /** As written: `23.98p`, `25p`, `59.94i`. */
  frameRate?: string;
  startTimecode?: string;
  /** StartBinaryGroup: the user bits of the start time code (8 hex digits). */
  startUserBits?: string;
  aspectRatio?: string;
  audioChannels: number;
  audioSampleRate?: number;
  audioBitDepth?: number;
  creationDate?: string;
  shootStartDate?: string;
  manufacturer?: string;
  model?: string;
  serial?: string;
  scene?: string;
  take?: string;
  iso?: number;
  whiteBalanceK?: number;
  gamma?: string;
  gamut?: string;
}

export class P2ClipError extends Error {
  override name = 'P2ClipError';
}

const child = (node: unknown, name: string): XmlNode | undefined =>
  list((node as XmlNode | undefined)?.[name])[0];

const value = (node: unknown, name: string) => {
  const t = text(child(node, name))?.trim();
  return t ? t : undefined;
};

const number = (raw: string | undefined, unit = '') => {
  if (raw === undefined) return undefined;
  const match = new RegExp(`^(\\d+(?:\\.\\d+)?)\\s*${unit}$`, 'i').exec(raw);
  return match ? Number(match[1]) : undefined;
};

/** Pure: the fields of a P2 clip XML; throws P2ClipError when it is not one. */
export function parseP2Clip(bytes: Uint8Array | string): P2Clip {
  const document = parseXml(typeof bytes === 'string' ? bytes : decodeXml(bytes));
  const root = (document['P2Main'] ?? document['ClipMain']) as XmlNode | undefined;
  const content = child(root, 'ClipContent');
  if (!root || !content) throw new P2ClipError('not a P2 clip metadata document (P2Main/ClipContent)');
  const result: P2Clip = { audioChannels: 0 };
  const set = <K extends keyof P2Clip>(key: K, v: P2Clip[K] | undefined) => {
    if (v !== undefined) result[key] = v;
  };
  set('clipName', value(content, 'ClipName'));
  set('globalClipId', value(content, 'GlobalClipID'));
  const duration = number(value(content, 'Duration'));
  if (duration && Number.isInteger(duration)) result.durationFrames = duration;
  const unit = /^(\d+)\/(\d+)$/.exec(value(content, 'EditUnit') ?? '');
  if (unit && Number(unit[1]) > 0 && Number(unit[2]) > 0)
    result.editUnit = { num: Number(unit[1]), den: Number(unit[2]) };
  const essence = child(content, 'EssenceList');
  const video = child(essence, 'Video');
  set('codec', value(video, 'Codec'));
  set('frameRate', value(video, 'FrameRate'));
  set('startTimecode', value(video, 'StartTimecode'));
  set('startUserBits', value(video, 'StartBinaryGroup'));
  set('aspectRatio', value(video, 'AspectRatio'));
  const audio = list(essence?.['Audio']);
  result.audioChannels = audio.length;
  set('audioSampleRate', number(value(audio[0], 'SamplingRate')));
  set('audioBitDepth', number(value(audio[0], 'BitsPerSample')));
  const metadata = child(content, 'ClipMetadata');
  set('userClipName', value(metadata, 'UserClipName'));
  set('creationDate', value(child(metadata, 'Access'), 'CreationDate'));
  set('shootStartDate', value(child(metadata, 'Shoot'), 'StartDate'));
  const device = child(metadata, 'Device');
  set('manufacturer', value(device, 'Manufacturer'));
  set('model', value(device, 'ModelName'));
  set('serial', value(device, 'SerialNo.'));
  const scenario = child(metadata, 'Scenario');
  set('scene', value(scenario, 'SceneNo.'));
  set('take', value(scenario, 'TakeNo.'));
  const camera = child(child(child(root, 'UserArea'), 'AcquisitionMetadata'), 'CameraUnitMetadata');
  set('iso', number(value(camera, 'ISOSensitivity')));
  set('whiteBalanceK', number(value(camera, 'WhiteBalanceColorTemperature'), 'K?'));
  set('gamma', value(child(camera, 'Gamma'), 'CaptureGamma'));
  set('gamut', value(child(camera, 'Gamut'), 'CaptureGamut'));
  return result;
}
