/**
 * Probing an image sequence as one clip: the first frame's facts (ffprobe, exiftool, the DPX
 * header), the frame range for the duration, the summed size, gaps reported as problems.
 */
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { collectFacts, type ProbeDeps, type ProbeResult } from '../probe/probe.ts';
import { deriveFields } from '../probe/derive.ts';
import { mergeFacts, PRIORITY, type Fact } from '../probe/facts.ts';
import { parseFrameRate } from '@rushes/timecode';
import { dpxTransferName, parseDpxHeader, type DpxHeader } from './dpx.ts';
import { sequenceName, type ImageSequence } from './find.ts';

export interface SequenceProbeResult extends ProbeResult {
  sequence: Omit<ImageSequence, 'files'> & { count: number };
  dpx?: DpxHeader;
}

async function readDpx(file: string): Promise<DpxHeader | undefined> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(2048);
    const { bytesRead } = await handle.read(buffer, 0, 2048, 0);
    return parseDpxHeader(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Pure: what a DPX header states. */
export function dpxFacts(header: DpxHeader): Fact[] {
  const facts: Fact[] = [];
  const add = (field: Fact['field'], value: unknown, detail: string) =>
    facts.push({ field, value, source: 'sequence', detail: `DPX ${detail}`, priority: PRIORITY.sequence });
  add('picture.width', header.width, 'image header');
  add('picture.height', header.height, 'image header');
  add('picture.bitDepth', header.bitDepth, 'image element bit size');
  if (header.timecode) add('time.startTimecode', header.timecode, 'television header timecode');
  if (header.frameRate) {
    try {
      const rate = parseFrameRate(String(header.frameRate));
      add('picture.frameRate', { num: rate.num, den: rate.den }, 'frame rate');
    } catch {
      // An odd rate in the header is left out rather than guessed.
    }
  }
  const transfer = dpxTransferName(header.transfer);
  if (transfer) add('color.transfer', transfer, 'transfer characteristic');
  if (header.creator) add('camera.model', header.creator, 'creator');
  add('picture.codec', `DPX ${header.bitDepth}-bit`, 'image header');
  return facts;
}

export async function probeSequence(
  folder: string,
  sequence: ImageSequence,
  deps: ProbeDeps,
  options: { signal?: AbortSignal } = {},
): Promise<SequenceProbeResult> {
  const first = path.join(folder, sequence.files[0]!);
  const { facts, raw, problems } = await collectFacts(first, deps, options);
  let size = 0;
  for (const name of sequence.files) size += (await stat(path.join(folder, name))).size;
  const dpx = /\.dpx$/i.test(first) ? await readDpx(first) : undefined;
  const frameCount = sequence.last - sequence.first + 1;
  const container = `${sequence.suffix.slice(1).toUpperCase()} image sequence`;
  const own = (field: Fact['field'], value: unknown, detail: string): Fact => ({
    field,
    value,
    source: 'sequence',
    detail,
    priority: PRIORITY.stream + 5,
  });
  facts.push(
    own('identity.clipName', sequenceName(sequence), sequence.pattern),
    own('time.durationFrames', frameCount, `frames ${sequence.first}–${sequence.last}`),
    own('file.sizeBytes', size, `${sequence.files.length} files`),
    own('file.container', container, sequence.pattern),
    ...(dpx ? dpxFacts(dpx) : []),
  );
  if (sequence.missing.length > 0) {
    const shown = sequence.missing.slice(0, 10).join(', ');
    problems.push(
      `${sequence.missing.length} frame(s) missing from ${sequence.pattern}: ${shown}${sequence.missing.length > 10 ? '…' : ''}`,
    );
  }
  // ffprobe's duration is one frame's, and its rate is the image demuxer's assumption (25):
  // neither describes the clip.
  const assumed = new Set(['time.durationSeconds', 'picture.frameRate']);
  const clipFacts = facts.filter(
    (f) => !(assumed.has(f.field) && (f.source === 'stream' || f.source === 'container')),
  );
  const { files: _files, ...range } = sequence;
  return {
    file: path.join(folder, sequence.pattern),
    metadata: deriveFields(mergeFacts(clipFacts)),
    raw,
    problems,
    sequence: { ...range, count: sequence.files.length },
    ...(dpx ? { dpx } : {}),
  };
}
