/**
 * verify: hash the original once (xxh64 + md5 + whatever the roll's manifest used), compare with
 * the manifest entry for its path, check that it decodes (first and last frames), record the
 * checksums, queue probe. A mismatch or a broken file ends the clip with its code, no retry.
 */
import { EngineError, type HashAlgorithm, type ManifestEntry } from '@rushes/engine';
import { findClip, recordChecksums } from '@rushes/data/clips';
import { manifestEntriesOfRoll } from '@rushes/data/manifests';
import { queueTask } from '@rushes/data/tasks';
import type { JobHandler } from './handler.ts';

/** Pure: the manifest's entry for a clip's path (NFC-insensitive). */
export function entryFor(entries: readonly ManifestEntry[], originalPath: string): ManifestEntry | undefined {
  const wanted = originalPath.normalize('NFC');
  return entries.find((e) => e.path.normalize('NFC') === wanted);
}

export const clipVerify: JobHandler<'clip.verify'> = async ({ clipId, lane }, deps, job) => {
  const clip = await findClip(deps.db, clipId);
  if (!clip?.objectKey) throw new EngineError('FILE_UNREADABLE', `clip ${clipId} has no stored original`);
  const rollManifests = await manifestEntriesOfRoll(deps.db, clip.rollId);
  const expected = rollManifests
    .map((m) => entryFor(m.entries, clip.originalPath))
    .find((e) => e !== undefined);

  await deps.originals.use(
    clip.objectKey,
    async (file) => {
      const algorithms = [
        ...new Set<HashAlgorithm>(['xxh64', 'md5', ...(expected?.hashes.map((h) => h.algorithm) ?? [])]),
      ];
      const digests = await deps.engine.hash(file, algorithms, { signal: job.signal });
      await recordChecksums(deps.db, clipId, digests);
      if (expected) {
        if (expected.size !== undefined && clip.sizeBytes !== null && expected.size !== clip.sizeBytes) {
          throw new EngineError(
            'SIZE_MISMATCH',
            `${clip.fileName} is ${clip.sizeBytes} bytes; the card's manifest says ${expected.size}`,
          );
        }
        const wrong = expected.hashes.find((h) => digests[h.algorithm] !== h.value);
        if (wrong) {
          throw new EngineError(
            'CHECKSUM_MISMATCH',
            `${clip.fileName}: ${wrong.algorithm} is ${digests[wrong.algorithm]}, the card's manifest says ${wrong.value}`,
          );
        }
      }
      const validation = await deps.engine.validate(file, { signal: job.signal });
      if (!validation.ok) throw new EngineError(validation.code ?? 'UNDECODABLE', validation.message);
    },
    job.signal,
  );
  await queueTask(deps.db, clipId, 'probe');
  await deps.enqueue('clip.probe', { clipId, ...(lane ? { lane } : {}) }, lane);
};
