/**
 * Finding the media tools and reporting which ones the engine uses (operators need to know
 * which ffmpeg produced their proxies).
 */
import { run } from './process/run.ts';

export interface ToolLocations {
  /** ffmpeg executable. Default: `ffmpeg` on PATH. */
  ffmpeg?: string;
  /** ffprobe executable. Default: `ffprobe` on PATH. */
  ffprobe?: string;
}

export interface ToolReport {
  tool: string;
  executable: string;
  /** The version the tool printed, or null when it could not be run. */
  version: string | null;
  problem?: string;
}

/** Pure: the version from the first line of `ffmpeg -version` / `ffprobe -version`. */
export function parseFfmpegVersion(output: string): string | null {
  const match = /^ff(?:mpeg|probe) version (\S+)/m.exec(output);
  return match?.[1] ?? null;
}

export async function detectTools(locations: ToolLocations = {}): Promise<ToolReport[]> {
  const wanted = [
    { tool: 'ffmpeg', executable: locations.ffmpeg ?? 'ffmpeg' },
    { tool: 'ffprobe', executable: locations.ffprobe ?? 'ffprobe' },
  ];
  return Promise.all(
    wanted.map(async ({ tool, executable }): Promise<ToolReport> => {
      try {
        const { stdout } = await run({ tool, executable, args: ['-version'] }, { timeoutMs: 10_000 });
        return { tool, executable, version: parseFfmpegVersion(stdout) };
      } catch (error) {
        return { tool, executable, version: null, problem: (error as Error).message };
      }
    }),
  );
}
