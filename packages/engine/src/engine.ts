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
import { resolveColorFilters } from './color/resolve.ts';
import type { DecoderAdapter } from './render/adapters.ts';
import { type ImageOptions } from './render/plan.ts';
import type { ProxyProfile } from './render/profiles.ts';
import { render, type RenderOptions, type RenderResult } from './render/render.ts';
import type { RenderSource } from './render/source.ts';
import type { ColorChain } from './color/color-filters.ts';
import { resolveTools, type ToolLocations, type Tools } from './tools.ts';
import { validate, type ValidationResult } from './validate.ts';

export interface EngineOptions {
  /** ffmpeg/ffprobe executables; default PATH, then the bundled builds. */
  tools?: ToolLocations;
  /** Font for burn-ins. Default: DejaVu Sans Mono from Debian's fonts-dejavu-core. */
  font?: string;
  /** Where baked LUTs are unpacked to .cube files. Default: see color/lut-file.ts. */
  lutCache?: string;
  /** Decoders for formats ffmpeg cannot read (vendor SDKs); see render/adapters.ts. */
  decoders?: readonly DecoderAdapter[];
}

export const DEFAULT_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';

export interface RenderJob {
  /** A proxy in this profile (resolved, see resolveProfile). */
  proxy?: ProxyProfile;
  /** Poster, thumbnail and scrub strip (or a waveform for sound) from the same decode. */
  images?: ImageOptions;
  /** The colour chain; undefined renders the picture as shot. */
  color?: ColorChain;
}

export class Engine {
  readonly tools: Tools;
  private readonly exiftool = new ExiftoolReader();
  private readonly options: EngineOptions;

  private constructor(tools: Tools, options: EngineOptions) {
    this.tools = tools;
    this.options = options;
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    return new Engine(await resolveTools(options.tools), options);
  }

  /**
   * Renders a proxy and/or images of `source` into `options.outDir` with one ffmpeg process.
   * Colour applies only when the profile asks for ACES and the source's encoding is known.
   */
  async render(
    source: RenderSource,
    job: RenderJob,
    options: Omit<RenderOptions, 'decoders'>,
  ): Promise<RenderResult> {
    const useColor = job.color && (job.proxy?.color ?? 'aces') === 'aces';
    const colorFilters = useColor ? await resolveColorFilters(job.color!, this.options.lutCache) : [];
    return render(
      this.tools.ffmpeg.executable,
      source,
      { proxy: job.proxy, images: job.images, colorFilters, font: this.options.font ?? DEFAULT_FONT },
      { ...options, decoders: this.options.decoders },
    );
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
