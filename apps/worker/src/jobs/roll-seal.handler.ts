/**
 * Chain of custody: once every clip of a roll has been checked, write an ASC MHL v2 generation
 * for what Rushes holds — next to the originals in the store, continuing the card's own history
 * (its ascmhl/ folder was stored at ingest) or starting one. Files that matched the card's
 * manifest are `verified`, those that did not are `failed`, those it did not list are `original`.
 * Idempotent: nothing is written when the last Rushes generation already says the same.
 */
import {
  addToTree,
  directoryHashes,
  emptyTree,
  generationFileName,
  hashBytes,
  parseChain,
  parseMhlV2,
  writeChain,
  writeMhlV2,
  type ChainEntry,
  type ExpectedHash,
  type HashAction,
  type ManifestEntry,
} from '@rushes/engine';
import { clipsOfRoll } from '@rushes/data/clips';
import { manifestEntriesOfRoll } from '@rushes/data/manifests';
import { findRolls, lockRollSeal } from '@rushes/data/rolls';
import { readAll } from '@rushes/storage';
import type { JobHandler } from './handler.ts';
import { entryFor } from './clip-verify.handler.ts';

const MISMATCH = new Set(['CHECKSUM_MISMATCH', 'SIZE_MISMATCH']);

/** Pure: a clip's action in the new generation. */
export function actionFor(errorCode: string | null, listedOnCard: boolean): HashAction {
  if (errorCode && MISMATCH.has(errorCode)) return 'failed';
  return listedOnCard ? 'verified' : 'original';
}

/** Pure: what a generation says, to compare two generations. */
export function fingerprint(entries: readonly ManifestEntry[]): string {
  return entries
    .map(
      (e) =>
        `${e.path}|${e.hashes
          .map((h) => `${h.algorithm}:${h.value}:${h.action ?? ''}`)
          .sort()
          .join(',')}`,
    )
    .sort()
    .join('\n');
}

export const rollSeal: JobHandler<'roll.seal'> = async ({ rollId }, deps) => {
  await deps.db.transaction(async (tx) => {
    // One seal at a time per roll, across workers.
    await lockRollSeal(tx, rollId);
    const [roll] = await findRolls(tx, [rollId]);
    if (!roll || roll.state === 'pending' || roll.state === 'processing') return;
    const rollClips = await clipsOfRoll(tx, rollId);
    const cardEntries = (await manifestEntriesOfRoll(tx, rollId)).flatMap((m) => m.entries);
    const date = new Date();
    const stamp = date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const entries: ManifestEntry[] = [];
    const tree = emptyTree();
    for (const clip of rollClips.sort((a, b) => a.originalPath.localeCompare(b.originalPath))) {
      const sums = clip.checksums;
      if (!sums['xxh64']) continue; // never hashed: nothing to vouch for
      const action = actionFor(clip.errorCode, entryFor(cardEntries, clip.originalPath) !== undefined);
      const hashes: ExpectedHash[] = (['xxh64', 'md5'] as const)
        .filter((a) => sums[a])
        .map((algorithm) => ({ algorithm, value: sums[algorithm]!, action, hashDate: stamp }));
      entries.push({
        path: clip.originalPath,
        ...(clip.sizeBytes !== null ? { size: clip.sizeBytes } : {}),
        hashes,
      });
      if (action !== 'failed') addToTree(tree, clip.originalPath, sums['xxh64']);
    }
    if (entries.length === 0) return;

    const prefix = `productions/${roll.productionId}/rolls/${roll.id}/original/ascmhl/`;
    const existing: string[] = [];
    for await (const object of deps.store.list(prefix)) existing.push(object.key.slice(prefix.length));
    const generations = existing.filter((n) => /^\d{4,}_.*\.mhl$/i.test(n)).sort();
    const chainKey = `${prefix}ascmhl_chain.xml`;
    const chain: ChainEntry[] = existing.includes('ascmhl_chain.xml')
      ? parseChain(await readAll((await deps.store.get(chainKey)).stream))
      : [];
    const ours = [...chain].reverse().find((c) => generations.includes(c.path));
    if (ours) {
      const last = parseMhlV2(await readAll((await deps.store.get(prefix + ours.path)).stream));
      const same =
        last.creator.tool === 'rushes' &&
        fingerprint(last.entries.map(withoutDates)) === fingerprint(entries.map(withoutDates));
      if (same) return;
    }

    const folderHashes = await directoryHashes('xxh64', tree);
    const pair = (p: string, which: 'content' | 'structure'): ExpectedHash[] => [
      { algorithm: 'xxh64', value: folderHashes.get(p)![which], hashDate: stamp },
    ];
    const sequence = Math.max(0, ...generations.map((n) => Number(/^(\d+)/.exec(n)![1]))) + 1;
    const fileName = generationFileName(sequence, roll.name, date);
    const xml = writeMhlV2({
      creator: { creationDate: stamp, hostname: deps.workerId, tool: 'rushes', authors: [] },
      process: 'transfer',
      rootHash: { path: '', content: pair('', 'content'), structure: pair('', 'structure') },
      ignore: ['.DS_Store', 'ascmhl', 'ascmhl/'],
      entries,
      directories: [...folderHashes.keys()]
        .filter((p) => p)
        .sort()
        .map((p) => ({ path: p, content: pair(p, 'content'), structure: pair(p, 'structure') })),
      references: [],
    });
    const bytes = Buffer.from(xml, 'utf8');
    await deps.store.put(prefix + fileName, bytes, { contentType: 'application/xml' });
    const c4 = await hashBytes('c4', bytes);
    await deps.store.put(
      chainKey,
      Buffer.from(writeChain([...chain, { sequence, path: fileName, c4 }]), 'utf8'),
      {
        contentType: 'application/xml',
      },
    );
    deps.log.info(
      { rollId, generation: fileName, files: entries.length },
      'roll sealed with an ASC MHL generation',
    );
  });
};

function withoutDates(entry: ManifestEntry): ManifestEntry {
  return {
    path: entry.path,
    hashes: entry.hashes.map(({ algorithm, value, action }) => ({
      algorithm,
      value,
      ...(action ? { action } : {}),
    })),
  };
}
