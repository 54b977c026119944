/**
 * `probe(file)`: ffprobe and exiftool run concurrently (plus the bext/iXML reader for WAV files,
 * the DPX header reader for DPX files, and the camera XML beside Sony and P2 clips);
 * their facts, and the file name's, merge into one NormalizedClipMetadata with the source of
 * every field. A tool that cannot read the file is reported, not fatal, as long as another can
 * (RED, ARRIRAW or BRAW headers: exiftool reads them, ffprobe cannot).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { NormalizedClipMetadata } from '@rushes/schema/metadata';
import { EngineError } from '../errors.ts';
import { run } from '../process/run.ts';
import { readWave, waveFacts, type WaveInfo } from './bwf.ts';
import { cameraXmlFacts, readCameraXml, type CameraXml } from './camera-xml.ts';
import { clipNameFacts } from './clip-name.ts';
import { deriveFields } from './derive.ts';
import { exiftoolFacts, type ExiftoolTags } from './exiftool-facts.ts';
import { exrFacts } from './exr.ts';
import type { ExiftoolReader } from './exiftool.ts';
import { mergeFacts, PRIORITY, type Fact } from './facts.ts';
import { checkFileStructure } from './structure.ts';
import { buildFfprobeCommand, ffprobeFacts, type FfprobeOutput } from './ffprobe.ts';
import { dpxFacts, readDpx, type DpxHeader } from '../sequence/dpx.ts';

/** Camera formats exiftool reads headers of, whatever MIME type it gives them. */
const CAMERA_RAW = new Set(['R3D', 'CRM', 'CR3', 'BRAW', 'ARI', 'ARX', 'DNG', 'NEV', 'MXF', 'DPX', 'EXR']);

export interface ProbeResult {
  file: string;
  metadata: NormalizedClipMetadata;
  /** What the tools said, for the record (clips.raw). */
  raw: {
    ffprobe?: FfprobeOutput;
    exiftool?: ExiftoolTags;
    wave?: unknown;
    dpx?: DpxHeader;
    cameraXml?: CameraXml;
  };
  /** Tools that could not read the file, and why. */
  problems: string[];
}

export interface ProbeDeps {
  ffprobe: string;
  exiftool: ExiftoolReader;
}

/** The wave info as JSON (the 64-bit TimeReference as a decimal string). */
function waveJson(info: WaveInfo): unknown {
  return JSON.parse(
    JSON.stringify(info, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)),
  );
}

export interface CollectedFacts {
  facts: Fact[];
  raw: ProbeResult['raw'];
  problems: string[];
}

export async function probe(
  file: string,
  deps: ProbeDeps,
  options: { signal?: AbortSignal } = {},
): Promise<ProbeResult> {
  const { facts, raw, problems } = await collectFacts(file, deps, options);
  return { file, metadata: deriveFields(mergeFacts(facts)), raw, problems };
}

/** Every fact the tools state about one file (probe merges them; sequences add their own). */
export async function collectFacts(
  file: string,
  deps: ProbeDeps,
  options: { signal?: AbortSignal } = {},
): Promise<CollectedFacts> {
  const info = await stat(file).catch((error: Error) => {
    throw new EngineError('FILE_UNREADABLE', `cannot read ${file}: ${error.message}`, { cause: error });
  });
  if (!info.isFile()) throw new EngineError('FILE_UNREADABLE', `${file} is not a file`);
  if (info.size === 0) throw new EngineError('EMPTY_FILE', `${path.basename(file)} is empty (0 bytes)`);

  const problems: string[] = [];
  const [ffprobeResult, exiftoolResult, waveResult, structureResult, dpxResult, xmlResult] =
    await Promise.allSettled([
      run(buildFfprobeCommand(deps.ffprobe, file), { signal: options.signal, timeoutMs: 60_000 }).then(
        ({ stdout }) => JSON.parse(stdout) as FfprobeOutput,
      ),
      deps.exiftool.read(file),
      /\.(wav|bwf|w64|rf64)$/i.test(file) ? readWave(file) : Promise.resolve(undefined),
      checkFileStructure(file),
      /\.dpx$/i.test(file) ? readDpx(file) : Promise.resolve(undefined),
      readCameraXml(file),
    ]);
  if (options.signal?.aborted) throw new EngineError('ABORTED', `probing ${file} was canceled`);

  const facts: Fact[] = [
    {
      field: 'file.sizeBytes',
      value: info.size,
      source: 'container',
      detail: 'file system',
      priority: PRIORITY.container + 1,
    },
    ...clipNameFacts(file),
  ];
  const raw: ProbeResult['raw'] = {};
  if (ffprobeResult.status === 'fulfilled') {
    raw.ffprobe = ffprobeResult.value;
    facts.push(...ffprobeFacts(ffprobeResult.value));
  } else {
    problems.push(`ffprobe: ${(ffprobeResult.reason as Error).message}`);
  }
  if (exiftoolResult.status === 'fulfilled') {
    raw.exiftool = exiftoolResult.value;
    facts.push(...exiftoolFacts(exiftoolResult.value), ...exrFacts(exiftoolResult.value));
  } else {
    problems.push(`exiftool: ${(exiftoolResult.reason as Error).message}`);
  }
  if (waveResult.status === 'fulfilled' && waveResult.value) {
    raw.wave = waveJson(waveResult.value);
    facts.push(...waveFacts(waveResult.value));
  } else if (waveResult.status === 'rejected') {
    problems.push(`wave: ${(waveResult.reason as Error).message}`);
  }
  if (dpxResult.status === 'fulfilled' && dpxResult.value) {
    raw.dpx = dpxResult.value;
    facts.push(...dpxFacts(dpxResult.value));
  } else if (dpxResult.status === 'rejected') {
    problems.push(`dpx: ${(dpxResult.reason as Error).message}`);
  }
  if (xmlResult.status === 'fulfilled' && xmlResult.value) {
    raw.cameraXml = xmlResult.value;
    facts.push(...cameraXmlFacts(xmlResult.value));
  } else if (xmlResult.status === 'rejected') {
    problems.push(`camera XML: ${(xmlResult.reason as Error).message}`);
  }
  // A cut file's tools still answer (a timecode, a duration) from what is left: say it is cut.
  if (structureResult.status === 'fulfilled' && structureResult.value?.truncated)
    problems.push(`truncated: ${structureResult.value.detail}`);
  const mime = String(raw.exiftool?.['File:MIMEType'] ?? '');
  const fileType = String(raw.exiftool?.['File:FileType'] ?? '').toUpperCase();
  const knownType =
    Boolean(raw.ffprobe?.streams?.length) ||
    /^(video|audio|image)\/|^application\/mxf$/.test(mime) ||
    CAMERA_RAW.has(fileType);
  if (!knownType) {
    throw new EngineError('NOT_MEDIA', `${path.basename(file)} is not a media file any tool recognizes`, {
      cause: problems.join('; '),
    });
  }
  return { facts, raw, problems };
}
