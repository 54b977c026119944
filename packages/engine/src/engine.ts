/**
 * The engine as one object: the tools it found, one persistent exiftool, and the operations
 * the worker and the CLI call. `close()` ends exiftool; nothing else outlives a call.
 */
import type { HashAlgorithm } from './hash/algorithms.ts';
import { hashFile, type HashOptions } from './hash/hash-file.ts';
import { ExiftoolReader } from './probe/exiftool.ts';
import { probe, type ProbeResult } from './probe/probe.ts';
import type { ImageSequence } from './sequence/find.ts';
import { probeSequence, type SequenceProbeResult } from './sequence/probe-sequence.ts';
import { resolveTools, type ToolLocations, type Tools } from './tools.ts';
import { validate, type ValidationResult } from './validate.ts';

export interface EngineOptions {
  /** ffmpeg/ffprobe executables; default PATH, then the bundled builds. */
  tools?: ToolLocations;
}

export class Engine {
  readonly tools: Tools;
  private readonly exiftool = new ExiftoolReader();

  private constructor(tools: Tools) {
    this.tools = tools;
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    return new Engine(await resolveTools(options.tools));
  }

  probe(file: string, options: { signal?: AbortSignal } = {}): Promise<ProbeResult> {
    return probe(file, { ffprobe: this.tools.ffprobe.executable, exiftool: this.exiftool }, options);
  }

  /** One image sequence in `folder` (see `findSequences`) as one clip. */
  probeSequence(
    folder: string,
    sequence: ImageSequence,
    options: { signal?: AbortSignal } = {},
  ): Promise<SequenceProbeResult> {
    return probeSequence(
      folder,
      sequence,
      { ffprobe: this.tools.ffprobe.executable, exiftool: this.exiftool },
      options,
    );
  }

  validate(file: string, options: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    return validate(
      file,
      { ffmpeg: this.tools.ffmpeg.executable, ffprobe: this.tools.ffprobe.executable },
      options,
    );
  }

  hash(file: string, algorithms: readonly HashAlgorithm[], options?: HashOptions) {
    return hashFile(file, algorithms, options);
  }

  close(): Promise<void> {
    return this.exiftool.close();
  }
}
