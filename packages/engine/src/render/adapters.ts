/**
 * The plug point for decoders Rushes does not ship (vendor SDKs for RED R3D, ARRIRAW, BRAW).
 *
 * An adapter claims files (usually by extension) and turns one into something ffmpeg reads — an
 * intermediate file or image sequence it writes into the job's temporary folder, typically by
 * running the vendor's command-line tool (REDline, ARRIRAW Converter CLI, braw-decode). The
 * render then proceeds exactly as for any other source, and the temporary folder is removed with
 * the job. Without an adapter, raw files end with UNSUPPORTED_DECODE and their metadata only.
 *
 * ```ts
 * const redline: DecoderAdapter = {
 *   name: 'REDline',
 *   handles: (file) => file.toLowerCase().endsWith('.r3d'),
 *   async open(file, { tempFolder, signal }) {
 *     await run({ tool: 'REDline', executable: 'REDline',
 *       args: ['--i', file, '--o', `${tempFolder}/decoded`, '--format', '201'] }, { signal });
 *     return { kind: 'file', path: `${tempFolder}/decoded.mov` };
 *   },
 * };
 * const engine = await Engine.create({ decoders: [redline] });
 * ```
 */
import type { RenderInput } from './source.ts';

export interface DecoderAdapter {
  /** Shown in logs and errors, e.g. `REDline`. */
  name: string;
  /** Whether this adapter decodes `file`. */
  handles(file: string): boolean;
  /** Makes `file` readable by ffmpeg; anything written goes under `tempFolder`. */
  open(file: string, context: { tempFolder: string; signal?: AbortSignal }): Promise<RenderInput>;
}
