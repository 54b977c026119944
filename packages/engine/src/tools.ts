/**
 * Finding ffmpeg and ffprobe: the configured executable (FFMPEG_PATH / FFPROBE_PATH, passed in
 * by the app), else the one on PATH, else the static build shipped in the npm packages
 * `@ffmpeg-installer/ffmpeg` and `@ffprobe-installer/ffprobe`. Operators need to know which one
 * produced their files, so the choice and the version are reported. exiftool is the Perl script
 * that `exiftool-vendored` ships: it is run once here so that a machine without Perl fails at
 * start, naming exiftool, rather than at the first probe.
 */
import { createRequire } from 'node:module';
import { EngineError } from './errors.ts';
import { run } from './process/run.ts';

export type ToolName = 'ffmpeg' | 'ffprobe' | 'exiftool';
type FfmpegTool = 'ffmpeg' | 'ffprobe';

export interface ToolLocations {
  /** ffmpeg executable. Default: `ffmpeg` on PATH, else the bundled build. */
  ffmpeg?: string;
  /** ffprobe executable. Default: `ffprobe` on PATH, else the bundled build. */
  ffprobe?: string;
  /** Perl, which runs exiftool. Default: `perl` on PATH (what exiftool-vendored runs). */
  perl?: string;
}

export interface ResolvedTool {
  tool: ToolName;
  executable: string;
  /** Where it came from: the setting, PATH, or the npm package. */
  origin: 'configured' | 'path' | 'bundled';
  version: string;
}

export type Tools = Record<ToolName, ResolvedTool>;

/** Pure: the version from the first line of `ffmpeg -version` / `ffprobe -version`. */
export function parseFfmpegVersion(output: string): string | null {
  const match = /^ff(?:mpeg|probe) version (\S+)/m.exec(output);
  return match?.[1] ?? null;
}

async function versionOf(tool: FfmpegTool, executable: string): Promise<string> {
  const { stdout } = await run({ tool, executable, args: ['-version'] }, { timeoutMs: 15_000 });
  return parseFfmpegVersion(stdout) ?? 'unknown';
}

function bundledPath(tool: FfmpegTool): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    const pkg = tool === 'ffmpeg' ? '@ffmpeg-installer/ffmpeg' : '@ffprobe-installer/ffprobe';
    return (require(pkg) as { path: string }).path;
  } catch {
    return undefined;
  }
}

async function resolveTool(tool: FfmpegTool, configured: string | undefined): Promise<ResolvedTool> {
  if (configured) {
    try {
      return {
        tool,
        executable: configured,
        origin: 'configured',
        version: await versionOf(tool, configured),
      };
    } catch (error) {
      throw new EngineError(
        'TOOL_NOT_FOUND',
        `${tool} at ${configured} (from the settings) cannot be run: ${(error as Error).message}`,
        {
          tool,
        },
      );
    }
  }
  try {
    return { tool, executable: tool, origin: 'path', version: await versionOf(tool, tool) };
  } catch {
    const bundled = bundledPath(tool);
    if (bundled) {
      try {
        return { tool, executable: bundled, origin: 'bundled', version: await versionOf(tool, bundled) };
      } catch {
        // Reported below.
      }
    }
  }
  throw new EngineError(
    'TOOL_NOT_FOUND',
    `${tool} was not found on PATH and the bundled build cannot be run; install ffmpeg or set ${tool.toUpperCase()}_PATH`,
    {
      tool,
    },
  );
}

/** The exiftool script exiftool-vendored runs (from its dependency exiftool-vendored.pl). */
function exiftoolScript(): string {
  const fromEngine = createRequire(import.meta.url);
  const fromVendored = createRequire(fromEngine.resolve('exiftool-vendored'));
  return fromVendored('exiftool-vendored.pl') as string;
}

/** Runs `perl exiftool -ver` once: the exiftool the engine's persistent process will use. */
export async function resolveExiftool(perl = 'perl'): Promise<ResolvedTool> {
  const script = exiftoolScript();
  try {
    const { stdout } = await run(
      { tool: 'exiftool', executable: perl, args: [script, '-ver'] },
      { timeoutMs: 15_000 },
    );
    return { tool: 'exiftool', executable: script, origin: 'bundled', version: stdout.trim() || 'unknown' };
  } catch (error) {
    throw new EngineError(
      'TOOL_NOT_FOUND',
      `exiftool cannot be run: it needs Perl (${perl}), which failed: ${(error as Error).message}; install perl`,
      { tool: 'exiftool', cause: error },
    );
  }
}

export async function resolveTools(locations: ToolLocations = {}): Promise<Tools> {
  const [ffmpeg, ffprobe, exiftool] = await Promise.all([
    resolveTool('ffmpeg', locations.ffmpeg),
    resolveTool('ffprobe', locations.ffprobe),
    resolveExiftool(locations.perl),
  ]);
  return { ffmpeg, ffprobe, exiftool };
}
