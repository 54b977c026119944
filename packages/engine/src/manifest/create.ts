/**
 * Writes the next ASC MHL v2 generation for a folder: every file hashed (one read each), files
 * already in the history marked `verified` (or `failed` when they no longer match), new ones
 * `original`; directory and root hashes; the chain file extended with the new generation's C4.
 * A folder without history gets generation 1.
 */
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { HashAlgorithm } from '../hash/algorithms.ts';
import { hashFile } from '../hash/hash-file.ts';
import {
  generationFileName,
  isMhlV2Algorithm,
  MHL_V2_ALGORITHMS,
  writeChain,
  writeMhlV2,
  type Creator,
  type DirectoryHashes,
} from './ascmhl-v2.ts';
import { addToTree, directoryHashes, emptyTree, type HashTree, type TreeHashes } from './directory-hash.ts';
import type { ExpectedHash, ManifestEntry } from './entries.ts';
import { listFiles } from './folder.ts';
import { readHistory } from './history.ts';
import { ManifestError } from './xml.ts';

export interface CreateOptions {
  /**
   * Algorithms of the new generation, every one written for every file and folder (ASC MHL v2
   * allows c4, md5, sha1, xxh128, xxh3, xxh64). Default: xxh64.
   */
  algorithms?: HashAlgorithm[];
  /** One algorithm; the same as `algorithms: [algorithm]`. */
  algorithm?: HashAlgorithm;
  /** Who and what wrote it. Default: this host, tool "rushes". */
  creator?: Partial<Omit<Creator, 'creationDate'>>;
  /** Time stamp of the generation. Default: now. */
  now?: Date;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface CreatedGeneration {
  /** Path of the new generation file. */
  file: string;
  sequence: number;
  /** Files whose hash no longer matches the history (marked `failed`). */
  failed: string[];
  entries: ManifestEntry[];
}

const DEFAULT_IGNORE = ['.DS_Store', 'ascmhl', 'ascmhl/'];

/** Writes to a temporary name first, so a crash never leaves half a manifest. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.partial`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, file);
}

export async function createGeneration(
  root: string,
  options: CreateOptions = {},
): Promise<CreatedGeneration> {
  const { now = new Date(), signal, onProgress } = options;
  const wanted = [...new Set<HashAlgorithm>(options.algorithms ?? [options.algorithm ?? 'xxh64'])];
  const unwritable = wanted.filter((a) => !isMhlV2Algorithm(a));
  if (wanted.length === 0 || unwritable.length > 0) {
    throw new ManifestError(
      `ASC MHL v2 cannot record "${unwritable[0] ?? ''}"; it allows ${MHL_V2_ALGORITHMS.join(', ')}`,
    );
  }
  const absolute = path.resolve(root);
  const history = await readHistory(absolute);
  const known = new Map<string, ExpectedHash>();
  for (const { generation } of history?.generations ?? []) {
    for (const entry of generation.entries) {
      for (const h of entry.hashes)
        if (h.action !== 'failed') known.set(`${entry.path.normalize('NFC')}\0${h.algorithm}`, h);
    }
  }

  // Names as the disk spells them, so that every file opens and the manifest records it as it is.
  const files = await listFiles(absolute, { asOnDisk: true });
  const date = now.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const trees = new Map<HashAlgorithm, HashTree>(wanted.map((a) => [a, emptyTree()]));
  const entries: ManifestEntry[] = [];
  const failed: string[] = [];
  let done = 0;
  for (const relative of files) {
    const file = path.join(absolute, relative);
    const info = await stat(file);
    // Verify with the algorithms the history used for this file, and hash with the new one.
    const key = relative.normalize('NFC');
    const previous = [...known.entries()].filter(([k]) => k.startsWith(`${key}\0`)).map(([, h]) => h);
    const algorithms = [...new Set<HashAlgorithm>([...wanted, ...previous.map((h) => h.algorithm)])];
    const digests = await hashFile(file, algorithms, { signal });
    const mismatched = previous.some((h) => digests[h.algorithm] !== h.value);
    if (mismatched) failed.push(relative);
    const action = previous.length === 0 ? 'original' : mismatched ? 'failed' : 'verified';
    // Verified with every algorithm the history used; recorded with those ASC MHL v2 can hold.
    const hashes = algorithms.filter(isMhlV2Algorithm).map((a): ExpectedHash => ({
      algorithm: a,
      value: digests[a]!,
      action,
      hashDate: date,
    }));
    entries.push({
      path: relative,
      size: info.size,
      lastModified: info.mtime.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      hashes,
    });
    for (const [a, tree] of trees) addToTree(tree, relative, digests[a]!);
    onProgress?.((done += 1), files.length, relative);
  }

  const folderHashes = new Map<HashAlgorithm, Map<string, TreeHashes>>();
  for (const [a, tree] of trees) folderHashes.set(a, await directoryHashes(a, tree));
  const hashOf = (p: string, which: 'content' | 'structure'): ExpectedHash[] =>
    wanted.map((a) => ({ algorithm: a, value: folderHashes.get(a)!.get(p)![which], hashDate: date }));
  const directories: DirectoryHashes[] = [...folderHashes.get(wanted[0]!)!.keys()]
    .filter((p) => p !== '')
    .sort()
    .map((p) => ({ path: p, content: hashOf(p, 'content'), structure: hashOf(p, 'structure') }));

  const sequence = (history?.generations.at(-1)?.sequence ?? 0) + 1;
  const folder = path.join(absolute, 'ascmhl');
  await mkdir(folder, { recursive: true });
  const fileName = generationFileName(sequence, path.basename(absolute), now);
  const target = path.join(folder, fileName);
  await writeAtomically(
    target,
    writeMhlV2({
      creator: {
        creationDate: date,
        hostname: hostname(),
        tool: 'rushes',
        authors: [],
        ...options.creator,
      },
      process: 'in-place',
      rootHash: { path: '', content: hashOf('', 'content'), structure: hashOf('', 'structure') },
      ignore: DEFAULT_IGNORE,
      entries,
      directories,
      references: [],
    }),
  );
  const c4 = (await hashFile(target, ['c4'])).c4!;
  await writeAtomically(
    path.join(folder, 'ascmhl_chain.xml'),
    writeChain([...(history?.chain ?? []), { sequence, path: fileName, c4 }]),
  );
  return { file: target, sequence, failed, entries };
}
