/**
 * Runs one render plan: outputs are written into a hidden folder beside their destination and
 * moved in only when ffmpeg succeeded and each is non-empty and complete, so a failure or a
 * cancellation (AbortSignal → ffmpeg killed) never leaves a partial file behind.
 */
import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../errors.ts';
import { run } from '../process/run.ts';
import { looksTruncated, rawFormatOf } from '../validate.ts';
import type { DecoderAdapter } from './adapters.ts';
import { buildRenderPlan, type OutputKind, type RenderRequest } from './plan.ts';
import { trackProgress } from './progress.ts';
import type { RenderSource } from './source.ts';
import { stripTiles, stripVtt, type StripTile } from './strip.ts';

export interface RenderOptions {
  /** Folder the outputs end up in (created by the caller). */
  outDir: string;
  /** Output names are `<baseName>.<kind>.<ext>` (`.proxy` is the profile id). */
  baseName: string;
  signal?: AbortSignal;
  /** 0–1, at most every `progressIntervalMs` (default 250) and once at 1. */
  onProgress?: (fraction: number) => void;
  progressIntervalMs?: number;
  decoders?: readonly DecoderAdapter[];
  /** ffmpeg threads (see RenderRequest.threads). Default: ffmpeg's choice, every core it may use. */
  threads?: number;
}

export interface RenderedFile {
  kind: OutputKind | 'strip-index' | 'strip-vtt';
  path: string;
  bytes: number;
  width?: number;
  height?: number;
}

export interface RenderResult {
  files: RenderedFile[];
  tiles?: StripTile[];
  /** Seconds of media ffmpeg reports it wrote. */
  renderedSeconds: number;
}

/** Pure: a file-name-safe base name (no separators, no leading dot, no control characters). */
export function safeBaseName(name: string): string {
  const cleaned = name
    .replace(/[\p{Cc}/\\:*?"<>|]+/gu, '_')
    .replace(/^\.+/, '')
    .trim();
  return (cleaned || 'clip').slice(0, 120);
}

/** Pure: an ffmpeg failure on a source as an engine code. */
export function renderFailure(error: unknown, clip: string): EngineError {
  if (!(error instanceof EngineError) || error.code !== 'TOOL_FAILED' || error.retryable)
    return error as EngineError;
  if (looksTruncated(error.message))
    return new EngineError('TRUNCATED', `${clip} is truncated: ffmpeg ran out of data before its end`, {
      tool: 'ffmpeg',
      cause: error,
    });
  if (/decod|Invalid data found|corrupt|error while/i.test(error.message))
    return new EngineError('UNDECODABLE', `${clip} cannot be decoded: ${error.message}`, {
      tool: 'ffmpeg',
      cause: error,
    });
  return error;
}

async function openInput(
  source: RenderSource,
  tempFolder: string,
  options: RenderOptions,
): Promise<RenderSource> {
  if (source.input.kind !== 'file') return source;
  const file = source.input.path;
  const adapter = options.decoders?.find((d) => d.handles(file));
  if (adapter) return { ...source, input: await adapter.open(file, { tempFolder, signal: options.signal }) };
  const raw = rawFormatOf(file);
  if (raw)
    throw new EngineError(
      'UNSUPPORTED_DECODE',
      `${path.basename(file)} is ${raw}, which has no open decoder: no proxy or images can be made without a vendor decoder adapter`,
    );
  return source;
}

export async function render(
  ffmpeg: string,
  source: RenderSource,
  request: RenderRequest,
  options: RenderOptions,
): Promise<RenderResult> {
  const base = safeBaseName(options.baseName);
  const work = await mkdtemp(path.join(options.outDir, `.partial-${base.slice(0, 40)}-`));
  try {
    const opened = await openInput(source, work, options);
    const suffix = (kind: OutputKind) => (kind === 'proxy' ? (request.proxy?.id ?? 'audio') : kind);
    const plan = buildRenderPlan(
      opened,
      { ...request, threads: options.threads ?? request.threads },
      (kind, ext) => path.join(work, `${base}.${suffix(kind)}.${ext}`),
    );
    const progress = trackProgress(
      plan.durationSeconds,
      request.proxy ? opened.picture?.frameRate : undefined,
      options.onProgress,
      options.progressIntervalMs,
    );
    try {
      await run(
        { tool: 'ffmpeg', executable: ffmpeg, args: plan.args },
        { signal: options.signal, onStdout: (c) => progress.feed(c) },
      );
    } catch (error) {
      throw renderFailure(error, source.clipName);
    }
    const frame = source.picture ? source.picture.frameRate.den / source.picture.frameRate.num : 0.02;
    if (request.proxy && plan.durationSeconds > 0 && progress.seconds < plan.durationSeconds - 1.5 * frame) {
      throw new EngineError(
        'TRUNCATED',
        `${source.clipName} ends early: ${progress.seconds.toFixed(2)} s of ${plan.durationSeconds.toFixed(2)} s could be decoded`,
        { tool: 'ffmpeg' },
      );
    }
    const files: RenderedFile[] = [];
    for (const output of plan.outputs) {
      const bytes = (await stat(output.name).catch(() => undefined))?.size ?? 0;
      if (!bytes)
        throw new EngineError('TOOL_FAILED', `ffmpeg wrote no ${output.kind} for ${source.clipName}`, {
          tool: 'ffmpeg',
        });
      files.push({ kind: output.kind, path: output.name, bytes, width: output.width, height: output.height });
    }
    let tiles: StripTile[] | undefined;
    if (plan.strip && source.picture) {
      const rate = source.picture.frameRate;
      tiles = stripTiles(plan.strip, rate.den / rate.num, plan.durationSeconds);
      const image = `${base}.strip.jpg`;
      const index = JSON.stringify({ image, tiles }, null, 1);
      const vtt = stripVtt(tiles, image);
      for (const [kind, name, text] of [
        ['strip-index', `${base}.strip.json`, index],
        ['strip-vtt', `${base}.strip.vtt`, vtt],
      ] as const) {
        await writeFile(path.join(work, name), text);
        files.push({ kind, path: path.join(work, name), bytes: Buffer.byteLength(text) });
      }
    }
    for (const file of files) {
      const target = path.join(options.outDir, path.basename(file.path));
      await rename(file.path, target);
      file.path = target;
    }
    return { files, tiles, renderedSeconds: progress.seconds };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
