/**
 * What an ffmpeg build can do. The static build shipped in @ffmpeg-installer is from 2018: no
 * EXR encoder, `lut3d` on integer formats only. A job that needs a missing feature must fail
 * with a sentence saying so, not produce a wrong file.
 */
import { EngineError } from './errors.ts';
import { run } from './process/run.ts';
import type { ResolvedTool } from './tools.ts';

export type FeatureKind = 'encoder' | 'decoder' | 'filter' | 'muxer';

const listFlags: Record<FeatureKind, string> = {
  encoder: '-encoders',
  decoder: '-decoders',
  filter: '-filters',
  muxer: '-muxers',
};

/** Pure: the names in `ffmpeg -encoders` / `-decoders` / `-filters` / `-muxers` output. */
export function parseFeatureList(kind: FeatureKind, output: string): Set<string> {
  const names = new Set<string>();
  const body = output.split(/^\s*-+\s*$/m).pop() ?? output;
  for (const line of body.split('\n')) {
    // encoders/decoders: " V....D prores_ks  …"; filters: " ... lut3d  V->V  …"; muxers: " E mxf  …"
    const m =
      kind === 'filter'
        ? /^\s*[TSC.]{2,3}\s+(\S+)\s+\S+->\S+/.exec(line)
        : /^\s*[A-Z.]{1,6}\s+(\S+)\s/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

const cache = new Map<string, Promise<Set<string>>>();

export async function hasFeature(ffmpeg: ResolvedTool, kind: FeatureKind, name: string): Promise<boolean> {
  const key = `${ffmpeg.executable}\0${kind}`;
  let names = cache.get(key);
  if (!names) {
    names = run(
      { tool: 'ffmpeg', executable: ffmpeg.executable, args: ['-hide_banner', listFlags[kind]] },
      { timeoutMs: 15_000 },
    ).then(({ stdout }) => parseFeatureList(kind, stdout));
    cache.set(key, names);
  }
  return (await names).has(name);
}

/** Throws UNSUPPORTED_FEATURE naming the build and what to do. */
export async function requireFeature(ffmpeg: ResolvedTool, kind: FeatureKind, name: string): Promise<void> {
  if (await hasFeature(ffmpeg, kind, name)) return;
  const which = ffmpeg.origin === 'bundled' ? 'the bundled ffmpeg' : `ffmpeg at ${ffmpeg.executable}`;
  throw new EngineError(
    'UNSUPPORTED_FEATURE',
    `${which} (${ffmpeg.version}) has no ${kind} "${name}": install a current ffmpeg (e.g. apt-get install ffmpeg) or point FFMPEG_PATH at one`,
    { tool: 'ffmpeg' },
  );
}
