/**
 * Probing an image sequence as one clip: the first frame's facts (ffprobe, exiftool, the DPX
 * header), the frame range for the duration, the summed size, gaps reported as problems.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { collectFacts, type ProbeDeps, type ProbeResult } from '../probe/probe.ts';
import { deriveFields } from '../probe/derive.ts';
import { mergeFacts, PRIORITY, type Fact } from '../probe/facts.ts';
import type { DpxHeader } from './dpx.ts';
import { sequenceName, type ImageSequence } from './find.ts';

export interface SequenceProbeResult extends ProbeResult {
  sequence: Omit<ImageSequence, 'files'> & { count: number };
  dpx?: DpxHeader;
}

export async function probeSequence(
  folder: string,
  sequence: ImageSequence,
  deps: ProbeDeps,
  options: { signal?: AbortSignal } = {},
): Promise<SequenceProbeResult> {
  const first = path.join(folder, sequence.files[0]!);
  // collectFacts reads the first frame's DPX header (raw.dpx) and states its facts.
  const { facts, raw, problems } = await collectFacts(first, deps, options);
  let size = 0;
  for (const name of sequence.files) size += (await stat(path.join(folder, name))).size;
  const dpx = raw.dpx;
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
