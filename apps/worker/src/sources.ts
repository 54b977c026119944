/**
 * Where a roll is imported from: a server folder (a mounted card, a watch folder) or a prefix in
 * an object store — an S3 bucket the camera department uploaded to, or the platform's own store
 * after an upload. The importer sees only this interface.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { listFiles, resolveInside } from '@rushes/engine';
import type { BlobStore } from '@rushes/storage';
import { IngestError } from './ingest.ts';

export interface CardFile {
  /** Card-relative, `/`-separated, NFC. */
  path: string;
  size: number;
  modifiedMs: number;
}

export interface IngestSource {
  /** Shown to people and kept as the roll's source location. */
  location: string;
  /** Every file of the card, manifests included, sorted by path. */
  list(): Promise<CardFile[]>;
  read(relative: string): Promise<Readable>;
  /**
   * Copies a card file to `key` of `target` without reading it here (a server-side copy), where
   * the two stores allow; undefined when they do not (then it is read and written).
   */
  copyTo?(relative: string, target: BlobStore, key: string): Promise<{ size: number } | undefined>;
  /** Runs `use` with a local folder holding the card's manifests (`ascmhl/`, `.mhl` files). */
  withManifests<T>(use: (dir: string) => Promise<T>): Promise<T>;
}

/** Pure: whether a card file is one of its manifests (an ascmhl/ history file or a legacy .mhl). */
export function isManifestFile(relativePath: string): boolean {
  return /(^|\/)ascmhl\//i.test(relativePath) || /\.mhl$/i.test(relativePath);
}

export function folderSource(dir: string): IngestSource {
  return {
    location: dir,
    async list() {
      const files: CardFile[] = [];
      // listFiles leaves the card's ascmhl/ history out (it is not content); a card has it.
      const history = (await readdir(path.join(dir, 'ascmhl')).catch(() => [] as string[])).map(
        (name) => `ascmhl/${name}`,
      );
      for (const relative of [...(await listFiles(dir, { skipMhl: false })), ...history].sort()) {
        // lstat: links are not followed (listFiles leaves them out; the history may hold one).
        const info = await lstat(path.join(dir, relative)).catch(() => undefined);
        if (info?.isFile()) files.push({ path: relative, size: info.size, modifiedMs: info.mtimeMs });
      }
      return files;
    },
    async read(relative) {
      // Judged by where it really is: a file (or a folder above it) turned into a link pointing
      // out of the card since it was listed is refused, not followed.
      const [base, real] = await Promise.all([
        realpath(dir),
        realpath(path.join(dir, relative)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
          throw new IngestError(`${relative} disappeared from the card while it was being imported`);
        }),
      ]);
      if (!real.startsWith(`${base}${path.sep}`))
        throw new IngestError(`${relative} leads out of the card (${real}); it was not imported`);
      return createReadStream(real);
    },
    withManifests: (use) => use(dir),
  };
}

/** The objects under `prefix` (ending in `/`) of `store`, as a card. */
export function storeSource(store: BlobStore, prefix: string, location: string): IngestSource {
  const base = prefix.endsWith('/') || prefix === '' ? prefix : `${prefix}/`;
  const list = async () => {
    const files: CardFile[] = [];
    for await (const object of store.list(base)) {
      const relative = object.key.slice(base.length).normalize('NFC');
      if (!relative || relative.endsWith('/') || relative.split('/').some((part) => part.startsWith('.')))
        continue;
      files.push({ path: relative, size: object.size, modifiedMs: object.lastModified.getTime() });
    }
    return files.sort((a, b) => a.path.localeCompare(b.path));
  };
  return {
    location,
    list,
    read: async (relative) => (await store.get(base + relative)).stream,
    copyTo: async (relative, target, key) => target.copyFrom?.(store, base + relative, key),
    async withManifests(use) {
      const dir = await mkdtemp(path.join(tmpdir(), 'rushes-manifests-'));
      try {
        for (const file of (await list()).filter((f) => isManifestFile(f.path))) {
          const target = resolveInside(dir, file.path);
          if (!target) continue;
          await mkdir(path.dirname(target), { recursive: true });
          await pipeline((await store.get(base + file.path)).stream, createWriteStream(target));
        }
        return await use(dir);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Pure: `s3://bucket/some/prefix` → its bucket and prefix; undefined for anything else. */
export function parseS3Location(location: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(location);
  if (!match) return undefined;
  const prefix = match[2] ?? '';
  return { bucket: match[1]!, prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix };
}

/**
 * The source a `roll.import` location names: `upload:` (the files uploaded into the roll through
 * the api, under `uploads/<roll id>/` of the platform's store), `s3://bucket/prefix` (read
 * through `s3Store(bucket)`), or an absolute folder on this machine.
 */
export function sourceForLocation(
  location: string,
  rollId: string,
  store: BlobStore,
  s3Store: (bucket: string) => BlobStore,
): IngestSource {
  if (location === 'upload:') return storeSource(store, `uploads/${rollId}/`, 'upload');
  const s3 = parseS3Location(location);
  if (s3) return storeSource(s3Store(s3.bucket), s3.prefix, location);
  if (location.startsWith('s3://')) throw new Error(`${location} is not an s3://bucket/prefix location`);
  return folderSource(location);
}
