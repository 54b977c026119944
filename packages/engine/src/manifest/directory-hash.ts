/**
 * ASC MHL v2 directory hashes, computed from the hashes of what a folder holds:
 * - content hash: the hash of the concatenated binary digests of its children (files' content
 *   hashes, sub-folders' content hashes), sorted by their text form;
 * - structure hash: likewise over one hash per child of (child name in UTF-8 + the child's
 *   digest: a file's content hash, a sub-folder's structure hash).
 * An empty folder hashes the empty input. The root's pair is the generation's root hash.
 */
import { createHash } from 'node:crypto';
import type { HashAlgorithm } from '../hash/algorithms.ts';
import { c4FromSha512, c4ToBytes } from '../hash/c4.ts';
import { XXHASH } from '../hash/xxhash.ts';

/** Digest text → its bytes (hex, or a C4 id's 64 bytes). */
export function digestBytes(algorithm: HashAlgorithm, value: string): Uint8Array {
  return algorithm === 'c4' ? c4ToBytes(value) : Buffer.from(value, 'hex');
}

/** Hashes bytes in memory with `algorithm`, returning the same text form as `hashFile`. */
export async function hashBytes(algorithm: HashAlgorithm, data: Uint8Array): Promise<string> {
  const xx = XXHASH[algorithm];
  if (xx) {
    const hasher = await xx();
    hasher.update(data);
    return hasher.hex();
  }
  if (algorithm === 'c4') return c4FromSha512(createHash('sha512').update(data).digest());
  return createHash(algorithm).update(data).digest('hex');
}

async function hashOfList(algorithm: HashAlgorithm, digests: string[]): Promise<string> {
  const sorted = [...digests].sort();
  return hashBytes(algorithm, Buffer.concat(sorted.map((d) => digestBytes(algorithm, d))));
}

export interface TreeHashes {
  content: string;
  structure: string;
}

/** A folder's children: files by name → content digest; folders by name → their subtree. */
export interface HashTree {
  files: Map<string, string>;
  folders: Map<string, HashTree>;
}

export function emptyTree(): HashTree {
  return { files: new Map(), folders: new Map() };
}

/** Adds a file's digest at `relativePath` (`a/b/c.mov`), creating folders on the way. */
export function addToTree(tree: HashTree, relativePath: string, digest: string): void {
  const parts = relativePath.split('/').filter(Boolean);
  const name = parts.pop();
  if (!name) return;
  let node = tree;
  for (const part of parts) {
    let next = node.folders.get(part);
    if (!next) node.folders.set(part, (next = emptyTree()));
    node = next;
  }
  node.files.set(name, digest);
}

/**
 * The content and structure hash of `tree` and of every folder below it, keyed by relative
 * path ('' for the root).
 */
export async function directoryHashes(
  algorithm: HashAlgorithm,
  tree: HashTree,
): Promise<Map<string, TreeHashes>> {
  const result = new Map<string, TreeHashes>();
  const visit = async (node: HashTree, at: string): Promise<TreeHashes> => {
    const contents: string[] = [];
    const structures: string[] = [];
    const named = async (name: string, digest: string) =>
      hashBytes(algorithm, Buffer.concat([Buffer.from(name, 'utf8'), digestBytes(algorithm, digest)]));
    for (const [name, digest] of node.files) {
      contents.push(digest);
      structures.push(await named(name, digest));
    }
    for (const [name, child] of node.folders) {
      const hashes = await visit(child, at ? `${at}/${name}` : name);
      contents.push(hashes.content);
      structures.push(await named(name, hashes.structure));
    }
    const hashes = {
      content: await hashOfList(algorithm, contents),
      structure: await hashOfList(algorithm, structures),
    };
    result.set(at, hashes);
    return hashes;
  };
  await visit(tree, '');
  return result;
}
