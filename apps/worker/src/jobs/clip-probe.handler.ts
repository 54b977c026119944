/**
 * probe: the engine's normalized metadata into the clip row — typed columns for what people
 * filter and sort on, the full document and the raw tool output as jsonb.
 */
import { EngineError } from '@rushes/engine';
import { frameRate, Timecode } from '@rushes/timecode';
import type { NormalizedClipMetadata } from '@rushes/schema/metadata';
import { renderTaskKind, type JobPayload } from '@rushes/schema/jobs';
import { DEFAULT_PROXY_PROFILE, proxyProfile } from '@rushes/schema/profiles';
import { parseProxyProfiles } from '@rushes/schema/render-settings';
import { findClip, recordProbe } from '@rushes/data/clips';
import { findProduction } from '@rushes/data/productions';
import { queueTask } from '@rushes/data/tasks';
import { parseSettings } from './failure.ts';
import type { JobHandler } from './handler.ts';

type Output = JobPayload<'clip.render'>['output'];

/** Pure: the clip's typed columns from its metadata document. */
export function clipColumns(m: NormalizedClipMetadata) {
  const rate = m.picture.frameRate?.value;
  const written = m.time.startTimecode?.value;
  let start: Timecode | undefined;
  if (written && rate) {
    try {
      start = Timecode.parse(written, frameRate(rate.num, rate.den, m.time.dropFrame?.value ?? false));
    } catch {
      start = undefined;
    }
  }
  const recorded = m.identity.recordDate?.value;
  const recordedAt = recorded && !Number.isNaN(Date.parse(recorded)) ? new Date(recorded) : null;
  const camera = [m.camera.make?.value, m.camera.model?.value].filter(Boolean).join(' ') || null;
  return {
    camera,
    reel: m.identity.reel?.value ?? null,
    // As @rushes/timecode writes it (`;` for drop-frame): the text the exports and the player show.
    startTimecode: start?.toString() ?? written ?? null,
    endTimecode: m.time.endTimecode?.value ?? null,
    startFrame: start?.frames ?? null,
    durationFrames: m.time.durationFrames?.value ?? null,
    fpsNum: rate?.num ?? null,
    fpsDen: rate?.den ?? null,
    width: m.picture.width?.value ?? null,
    height: m.picture.height?.value ?? null,
    codec: m.picture.codec?.value ?? null,
    colorSpace: m.color.acesInputTransform?.value ?? m.color.gamut?.value ?? m.color.primaries?.value ?? null,
    recordedAt,
  };
}

/** Pure: the renders a clip gets — always the review one; editors' proxies when it has a picture. */
export function rendersFor(metadata: NormalizedClipMetadata, proxyProfiles: unknown): Output[] {
  const editors = parseSettings("the production's proxy profiles", () => parseProxyProfiles(proxyProfiles))
    .map((p) => p.id)
    .filter((id) => proxyProfile(id).kind === 'editorial');
  return [DEFAULT_PROXY_PROFILE, ...(metadata.picture.width?.value ? new Set(editors) : [])];
}

export const clipProbe: JobHandler<'clip.probe'> = async ({ clipId, lane }, deps, job) => {
  const clip = await findClip(deps.db, clipId);
  if (!clip?.objectKey) throw new EngineError('FILE_UNREADABLE', `clip ${clipId} has no stored original`);
  const result = await deps.originals.use(
    clip.objectKey,
    (file) => deps.engine.probe(file, { signal: job.signal }),
    job.signal,
  );
  await recordProbe(deps.db, clipId, {
    columns: clipColumns(result.metadata),
    metadata: result.metadata,
    raw: result.raw as Record<string, unknown>,
  });
  const production = await findProduction(deps.db, clip.productionId);
  for (const output of rendersFor(result.metadata, production?.proxyProfiles)) {
    await queueTask(deps.db, clipId, renderTaskKind(output));
    await deps.enqueue('clip.render', { clipId, output, ...(lane ? { lane } : {}) }, lane);
  }
};
