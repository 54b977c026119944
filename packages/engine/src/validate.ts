/**
 * `validate(file)`: can this file be trusted as media? Checks, cheapest first: it exists and is
 * not empty; the container's own structure fits the file (truncation, see probe/structure.ts); a
 * demuxer recognizes it; and its first and last frames decode — not the whole file, so a 200 GB
 * clip takes seconds.
 * Every failure has a stable code and a sentence a producer can act on.
 */
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { EngineError, type EngineErrorCode } from './errors.ts';
import { run, type Command } from './process/run.ts';
import { buildFfprobeCommand, type FfprobeOutput } from './probe/ffprobe.ts';
import { checkFileStructure } from './probe/structure.ts';

export interface ValidationResult {
  ok: boolean;
  code?: EngineErrorCode;
  message: string;
  /** Which checks ran and what they found. */
  checks: { name: string; ok: boolean; detail?: string }[];
}

async function readHeader(file: string, into: Buffer): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.read(into, 0, into.length, 0);
  } finally {
    await handle.close();
  }
}

/** Formats with no open decoder: identified by extension, since no demuxer knows them. */
const RAW_FORMATS: Record<string, string> = {
  '.r3d': 'RED R3D',
  '.ari': 'ARRIRAW',
  '.arx': 'ARRIRAW (HDE)',
  '.braw': 'Blackmagic RAW',
  '.crm': 'Canon Cinema RAW Light',
  '.nev': 'Nikon N-RAW',
};

/** Pure: the raw format a file name says it is (`RED R3D` …), when it is one. */
export function rawFormatOf(file: string): string | undefined {
  return RAW_FORMATS[path.extname(file).toLowerCase()];
}

/** Decodes one frame at `seconds` (from the end when negative) to nowhere. */
export function buildDecodeCheckCommand(ffmpeg: string, file: string, seconds: number): Command {
  const seek = seconds < 0 ? ['-sseof', String(seconds)] : ['-ss', String(seconds)];
  return {
    tool: 'ffmpeg',
    executable: ffmpeg,
    args: [
      '-v',
      'error',
      '-xerror',
      ...seek,
      '-i',
      file,
      '-map',
      '0:v:0?',
      '-map',
      '0:a:0?',
      '-frames:v',
      '1',
      '-t',
      '0.5',
      '-f',
      'null',
      '-',
    ],
  };
}

/**
 * Pure: ffmpeg/ffprobe complaints that mean the file was cut short. "corrupt input packet" is
 * what the demuxer reports when a packet its index promises ends at the end of the file.
 */
export function looksTruncated(stderr: string): boolean {
  return /moov atom not found|corrupt input packet|truncat|end of file|partial file|Invalid data found when processing input.*\n?.*EOF|unexpected end|Packet corrupt.*EOF|stream ends prematurely/i.test(
    stderr,
  );
}

/** Pure: whether a file starts like an ISO media file (MOV/MP4 box) or another container we know. */
export function looksLikeMedia(header: Uint8Array): boolean {
  const box = new TextDecoder('latin1').decode(header.subarray(4, 8));
  if (['ftyp', 'wide', 'mdat', 'moov', 'free', 'skip', 'pnot'].includes(box)) return true;
  const start = new TextDecoder('latin1').decode(header.subarray(0, 4));
  if (['RIFF', 'RF64', 'FORM', '\x1aE\xdf\xa3'].includes(start)) return true;
  // MXF partition pack key.
  return header[0] === 0x06 && header[1] === 0x0e && header[2] === 0x2b && header[3] === 0x34;
}

export async function validate(
  file: string,
  tools: { ffmpeg: string; ffprobe: string },
  options: { signal?: AbortSignal } = {},
): Promise<ValidationResult> {
  const checks: ValidationResult['checks'] = [];
  const fail = (code: EngineErrorCode, message: string): ValidationResult => ({
    ok: false,
    code,
    message,
    checks,
  });
  const name = path.basename(file);

  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return fail('FILE_UNREADABLE', `${name} cannot be read`);
  if (info.size === 0) return fail('EMPTY_FILE', `${name} is empty (0 bytes): the copy probably failed`);
  checks.push({ name: 'size', ok: true, detail: `${info.size} bytes` });

  // The container's own structure (box, chunk and partition sizes, sample tables) against the
  // file's size: decides truncation whatever end is missing, before any tool guesses.
  const structure = await checkFileStructure(file).catch((error: Error) => {
    checks.push({ name: 'structure', ok: false, detail: error.message });
    return undefined;
  });
  if (structure) {
    checks.push({
      name: 'structure',
      ok: !structure.truncated,
      detail: `${structure.container}: ${structure.detail}`,
    });
    if (structure.truncated)
      return fail('TRUNCATED', `${name} is truncated: ${structure.detail} (an interrupted copy?)`);
  }

  const raw = rawFormatOf(file);
  let probed: FfprobeOutput;
  try {
    const { stdout } = await run(buildFfprobeCommand(tools.ffprobe, file), {
      signal: options.signal,
      timeoutMs: 60_000,
    });
    probed = JSON.parse(stdout) as FfprobeOutput;
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof EngineError && error.code === 'ABORTED') throw error;
    checks.push({ name: 'demux', ok: false, detail: message });
    if (raw)
      return fail(
        'UNSUPPORTED_DECODE',
        `${name} is ${raw}, which has no open decoder here: its metadata is read, but no proxy can be made`,
      );
    const header = Buffer.alloc(16);
    await readHeader(file, header);
    if (looksLikeMedia(header) && looksTruncated(message)) {
      return fail(
        'TRUNCATED',
        `${name} is truncated: the file ends before its container does (an interrupted copy?)`,
      );
    }
    return fail('NOT_MEDIA', `${name} is not a media file ffmpeg recognizes`);
  }
  const streams = probed.streams ?? [];
  checks.push({
    name: 'demux',
    ok: true,
    detail: `${probed.format?.format_name ?? 'unknown'}, ${streams.length} streams`,
  });
  const decodable = streams.filter((s) => s.codec_type === 'video' || s.codec_type === 'audio');
  if (decodable.length === 0) {
    if (raw) return fail('UNSUPPORTED_DECODE', `${name} is ${raw}, which has no open decoder here`);
    return fail('NOT_MEDIA', `${name} holds no picture or sound`);
  }
  const unknownCodec = decodable.find((s) => !s.codec_name || s.codec_name === 'none');
  if (unknownCodec)
    return fail(
      'UNSUPPORTED_DECODE',
      `${name}: stream ${unknownCodec.index} uses a codec ffmpeg cannot decode`,
    );

  const declared = Number(probed.format?.size);
  if (declared && declared > info.size) {
    return fail('TRUNCATED', `${name} is truncated: ${info.size} of ${declared} bytes`);
  }

  const duration = Number(probed.format?.duration) || 0;
  for (const [label, at] of [
    ['first frame', 0],
    ['last frame', duration > 1 ? -1 : 0],
  ] as const) {
    try {
      const { stderr } = await run(buildDecodeCheckCommand(tools.ffmpeg, file, at), {
        signal: options.signal,
        timeoutMs: 120_000,
      });
      if (stderr.trim()) throw new Error(stderr.trim());
      checks.push({ name: label, ok: true });
    } catch (error) {
      if (error instanceof EngineError && error.code === 'ABORTED') throw error;
      const message = (error as Error).message;
      checks.push({ name: label, ok: false, detail: message });
      if (looksTruncated(message))
        return fail('TRUNCATED', `${name} is truncated: its ${label} cannot be read`);
      return fail(
        'UNDECODABLE',
        `${name}: the ${label} cannot be decoded (${message.split('\n')[0]?.slice(0, 200)})`,
      );
    }
  }
  return { ok: true, message: `${name} is readable and its first and last frames decode`, checks };
}
