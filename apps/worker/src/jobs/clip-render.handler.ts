/**
 * render: a clip's derived files — the review proxy with poster, thumbnail and scrub strip from
 * one decode (a waveform for sound), or an editors' proxy — uploaded next to the original and
 * recorded as renditions. Keys and rows come from the output's identity (source checksum,
 * settings, colour, engine version): a re-run with the same inputs does no work, a re-run after
 * a crash overwrites the same keys and rows, and a changed look replaces what it colours.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_IMAGES,
  derivedIdentity,
  ENGINE_VERSION,
  EngineError,
  renderSourceFrom,
  resolveProfile,
  type ColorChain,
  type RenderedFile,
  type RenderJob,
} from '@rushes/engine';
import { readClipMetadata } from '@rushes/data/documents';
import { decideColor } from '@rushes/schema/color';
import type { JobPayload } from '@rushes/schema/jobs';
import type { NormalizedClipMetadata } from '@rushes/schema/metadata';
import { proxyProfile, proxyRenditionName } from '@rushes/schema/profiles';
import { parseColorPipeline, parseProxyProfiles } from '@rushes/schema/render-settings';
import { findClipWithProduction } from '@rushes/data/clips';
import { hasReadyRenditions, storeRenditions, type NewRendition } from '@rushes/data/renditions';
import { jobFolder } from '../files.ts';
import { parseSettings } from './failure.ts';
import type { JobHandler } from './handler.ts';

type Output = JobPayload<'clip.render'>['output'];

/** Pure: what to render for `output` given the clip and its production's settings, and its identity. */
export function planRender(
  clip: { metadata: NormalizedClipMetadata; checksums: Record<string, string> },
  production: { proxyProfiles: unknown; colorPipeline: unknown },
  output: Output,
): { job: RenderJob; identity: string } {
  const profiles = parseSettings("the production's proxy profiles", () =>
    parseProxyProfiles(production.proxyProfiles),
  );
  const proxy = resolveProfile(
    output,
    profiles.find((p) => p.id === output),
  );
  const pipeline = parseSettings("the production's colour pipeline", () =>
    parseColorPipeline(production.colorPipeline),
  );
  // The colour policy decides (an unknown input colour space keeps the look: see decideColor).
  const chain = decideColor({ camera: clip.metadata.color, production: pipeline }).chain;
  const color: ColorChain | undefined = proxy.color === 'aces' && chain ? chain : undefined;
  const images = proxyProfile(output).kind === 'review' ? DEFAULT_IMAGES : undefined;
  const checksum = clip.checksums['xxh64'];
  if (!checksum) throw new Error('the clip has no xxh64 checksum yet: verify has not run');
  const identity = derivedIdentity({
    source: `xxh64:${checksum}`,
    output,
    settings: { proxy, images },
    color,
    engineVersion: ENGINE_VERSION,
  });
  return { job: { proxy, images, color }, identity };
}

const IMAGE_CODECS: Record<string, string> = {
  poster: 'mjpeg',
  thumbnail: 'mjpeg',
  strip: 'mjpeg',
  waveform: 'png',
};

/** Pure: a rendered file's rendition name (unique per clip), kind and codec. */
export function renditionOf(file: RenderedFile, output: Output) {
  switch (file.kind) {
    case 'proxy': {
      // The registry's codecs; a proxy without a picture (the review proxy of a sound) holds only sound.
      const facts = proxyProfile(output);
      const codec = file.width ? facts.videoCodec : facts.audioCodec;
      return { name: proxyRenditionName(output), kind: 'proxy' as const, codec };
    }
    case 'strip-index':
      return { name: 'strip.json', kind: 'strip' as const, codec: null };
    case 'strip-vtt':
      return { name: 'strip.vtt', kind: 'strip' as const, codec: null };
    default:
      return { name: file.kind, kind: file.kind, codec: IMAGE_CODECS[file.kind] ?? null };
  }
}

export const clipRender: JobHandler<'clip.render'> = async ({ clipId, output }, deps, job) => {
  const row = await findClipWithProduction(deps.db, clipId);
  const original = row?.clip.objectKey;
  if (!row || !original) throw new EngineError('FILE_UNREADABLE', `clip ${clipId} has no stored original`);
  const { clip, production } = row;
  const metadata = readClipMetadata(clip.metadata, clip.id);
  const { job: renderJob, identity } = planRender(
    { metadata, checksums: clip.checksums },
    production,
    output,
  );

  if (await hasReadyRenditions(deps.db, clipId, identity)) {
    deps.log.info({ identity }, 'renditions with this identity exist: nothing to do');
    return;
  }

  const outDir = jobFolder(`${job.jobId}-out`);
  await mkdir(outDir, { recursive: true });
  try {
    const started = performance.now();
    const result = await deps.originals.use(
      original,
      (file) =>
        deps.engine.render(
          renderSourceFrom(metadata, { kind: 'file', path: file }, path.parse(clip.fileName).name),
          renderJob,
          {
            outDir,
            baseName: 'r',
            signal: job.signal,
            onProgress: job.progress,
            progressIntervalMs: 500,
            threads: deps.renderThreads,
          },
        ),
      job.signal,
    );
    const frames = metadata.time.durationFrames?.value;
    if (frames && metadata.picture.frameRate?.value) {
      const fps = metadata.picture.frameRate.value;
      deps.observeRender(output, (frames * fps.den) / fps.num, (performance.now() - started) / 1000);
    }
    const prefix = `productions/${clip.productionId}/rolls/${clip.rollId}/renditions/${clipId}/${identity.slice(0, 16)}`;
    const rows: Omit<NewRendition, 'clipId'>[] = [];
    for (const file of result.files) {
      const { name, kind, codec } = renditionOf(file, output);
      const objectKey = `${prefix}/${name.replace(':', '.')}${path.extname(file.path)}`;
      await deps.store.put(objectKey, createReadStream(file.path));
      rows.push({
        name,
        kind,
        objectKey,
        identity,
        sizeBytes: file.bytes,
        codec,
        width: file.width ?? null,
        height: file.height ?? null,
        state: 'ready' as const,
      });
    }
    // All rows or none: the identity check above must never see half of a run's renditions.
    const replaced = await storeRenditions(deps.db, clipId, rows);
    // What an older identity left (a changed look or profile) is replaced: remove its objects.
    for (const objectKey of replaced) await deps.store.delete(objectKey);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
};
