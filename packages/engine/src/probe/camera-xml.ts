/**
 * Camera metadata XML written beside the clip, found by each vendor's card structure:
 * - Sony XDCAM / XAVC / VENICE: `<clip>M01.XML` in the clip's folder (`XDROOT/Clip/C0001.MXF` →
 *   `C0001M01.XML`, `PRIVATE/M4ROOT/CLIP/C0001.MP4` → `C0001M01.XML`);
 * - Panasonic P2: `CONTENTS/CLIP/<clip>.XML` for `CONTENTS/VIDEO/<clip>.MXF` and the audio
 *   tracks `CONTENTS/AUDIO/<clip>NN.MXF`.
 * Their fields become facts with provenance `sidecar` and the element they came from.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseP2Clip, type P2Clip } from '../sidecar/p2-clip.ts';
import { parseScanRate, parseSonyNrt, type SonyNrt } from '../sidecar/sony-nrt.ts';
import { sonyAcquisitionField } from './exiftool-facts.ts';
import { PRIORITY, type Fact } from './facts.ts';

export type CameraXml =
  { kind: 'sony-nrt'; file: string; fields: SonyNrt } | { kind: 'p2-clip'; file: string; fields: P2Clip };

/** Pure: where a clip's camera XML would be, and which kind, from the clip's path. */
export function cameraXmlCandidate(
  file: string,
): { kind: CameraXml['kind']; folder: string; name: string } | undefined {
  const folder = path.dirname(file);
  const base = path.basename(file);
  const ext = path.extname(base);
  const stem = base.slice(0, base.length - ext.length);
  if (!/^\.(mxf|mp4)$/i.test(ext)) return undefined;
  const parent = path.basename(folder);
  const contents = path.basename(path.dirname(folder));
  if (/^contents$/i.test(contents) && /^(video|audio)$/i.test(parent) && /^\.mxf$/i.test(ext)) {
    // P2 audio files are the clip's name followed by a two-digit track number.
    const clip = /^audio$/i.test(parent) ? stem.replace(/\d{2}$/, '') : stem;
    return { kind: 'p2-clip', folder: path.join(path.dirname(folder), 'CLIP'), name: `${clip}.XML` };
  }
  return { kind: 'sony-nrt', folder, name: `${stem}M01.XML` };
}

/** The camera XML beside a clip, read and parsed; undefined when there is none. */
export async function readCameraXml(file: string): Promise<CameraXml | undefined> {
  const candidate = cameraXmlCandidate(file);
  if (!candidate) return undefined;
  const names = await readdir(candidate.folder).catch(() => [] as string[]);
  const found = names.find((n) => n.toLowerCase() === candidate.name.toLowerCase());
  if (!found) return undefined;
  const xmlFile = path.join(candidate.folder, found);
  const bytes = await readFile(xmlFile);
  try {
    return candidate.kind === 'sony-nrt'
      ? { kind: 'sony-nrt', file: xmlFile, fields: parseSonyNrt(bytes) }
      : { kind: 'p2-clip', file: xmlFile, fields: parseP2Clip(bytes) };
  } catch (error) {
    throw new Error(`${found}: ${(error as Error).message}`, { cause: error });
  }
}

/** Pure: the facts a camera XML states. */
export function cameraXmlFacts(xml: CameraXml): Fact[] {
  const facts: Fact[] = [];
  const file = path.basename(xml.file);
  const add = (field: Fact['field'], value: unknown, element: string) => {
    if (value === undefined) return;
    facts.push({ field, value, source: 'sidecar', detail: `${file} ${element}`, priority: PRIORITY.sidecar });
  };
  const rate = (written: string | undefined, element: string) => {
    const parsed = written ? parseScanRate(written) : undefined;
    if (!parsed) return;
    add('picture.frameRate', { num: parsed.rate.num, den: parsed.rate.den }, element);
    add('picture.scan', parsed.scan, element);
  };
  if (xml.kind === 'sony-nrt') {
    const f = xml.fields;
    add('identity.recordDate', f.creationDate, 'CreationDate@value');
    add('camera.make', f.manufacturer, 'Device@manufacturer');
    add('camera.model', f.model, 'Device@modelName');
    add('camera.serial', f.serial, 'Device@serialNo');
    add('lens.model', f.lens, 'Lens@modelName');
    rate(f.formatFps, 'VideoFrame@formatFps');
    add('picture.codec', f.videoCodec, 'VideoFrame@videoCodec');
    add('picture.width', f.width, 'VideoLayout@pixel');
    add('picture.height', f.height, 'VideoLayout@numOfVerticalLine');
    add('time.startTimecode', f.startTimecode, 'LtcChangeTable/LtcChange@value');
    add('time.dropFrame', f.dropFrame, 'LtcChange@value drop-frame flag');
    add('time.durationFrames', f.durationFrames, 'Duration@value');
    add('audio.channels', f.audioChannels, 'AudioFormat@numOfChannel');
    for (const [group, items] of Object.entries(f.acquisition)) {
      for (const [name, raw] of Object.entries(items)) {
        const field = sonyAcquisitionField(name);
        if (!field) continue;
        const value = field.startsWith('exposure.') ? Number.parseFloat(raw) : raw;
        if (typeof value === 'number' && !Number.isFinite(value)) continue;
        add(field, value, `AcquisitionRecord ${group}/${name}`);
      }
    }
  } else {
    const f = xml.fields;
    add(
      'identity.recordDate',
      f.shootStartDate ?? f.creationDate,
      f.shootStartDate ? 'Shoot/StartDate' : 'Access/CreationDate',
    );
    add('identity.scene', f.scene, 'Scenario/SceneNo.');
    add('identity.take', f.take, 'Scenario/TakeNo.');
    add('camera.make', f.manufacturer, 'Device/Manufacturer');
    add('camera.model', f.model, 'Device/ModelName');
    add('camera.serial', f.serial, 'Device/SerialNo.');
    rate(f.frameRate, 'Video/FrameRate');
    if (!f.frameRate && f.editUnit)
      add('picture.frameRate', { num: f.editUnit.den, den: f.editUnit.num }, 'EditUnit');
    add('picture.codec', f.codec, 'Video/Codec');
    add('time.startTimecode', f.startTimecode, 'Video/StartTimecode');
    add('time.durationFrames', f.durationFrames, 'Duration');
    if (f.audioChannels > 0) add('audio.channels', f.audioChannels, 'EssenceList/Audio');
    add('audio.sampleRateHz', f.audioSampleRate, 'Audio/SamplingRate');
    add('audio.bitDepth', f.audioBitDepth, 'Audio/BitsPerSample');
    add('exposure.exposureIndex', f.iso, 'CameraUnitMetadata/ISOSensitivity');
    add('exposure.whiteBalanceK', f.whiteBalanceK, 'CameraUnitMetadata/WhiteBalanceColorTemperature');
    add('color.transfer', f.gamma, 'CameraUnitMetadata/Gamma/CaptureGamma');
    add('color.gamut', f.gamut, 'CameraUnitMetadata/Gamut/CaptureGamut');
  }
  return facts;
}
