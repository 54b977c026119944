/**
 * Verifies a folder against the manifests it came with: an ASC MHL v2 history (`ascmhl/`,
 * nested histories included) or else legacy `.mhl` files. Every file gets a status:
 * ok, mismatch, size_mismatch, missing, new (on disk, in no manifest), unsafe_path (a manifest
 * path that leaves the folder) or bad_entry (its manifest entry cannot be used: no hash, a digest
 * that is not one). A manifest that cannot be read at all is reported in `problems` by name, and
 * the other manifests still verify. Each file is read once, for all the algorithms it is listed with.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Digests, HashAlgorithm } from '../hash/algorithms.ts';
import { hashFile } from '../hash/hash-file.ts';
import { parseMhlV1, type MhlV1 } from './ascmhl-v1.ts';
import { mergeGenerations, type EntryProblem, type ExpectedHash } from './entries.ts';
import { listFiles, resolveInside } from './folder.ts';
import { readHistory, type History } from './history.ts';

export type FileStatus =
  'ok' | 'mismatch' | 'size_mismatch' | 'missing' | 'new' | 'unsafe_path' | 'bad_entry';

/** A manifest, or an entry without a file name, that could not be used. */
export interface ManifestProblem {
  /** The manifest, relative to the root. */
  manifest: string;
  /** 1-based entry number, when only that entry is bad. */
  entry?: number;
  message: string;
}

export interface FileReport {
  path: string;
  status: FileStatus;
  message: string;
  /** The manifest that listed the file (relative to the root). */
  manifest?: string;
  expected: ExpectedHash[];
  actual: Digests;
  expectedSize?: number;
  size?: number;
}

export interface ChainCheck {
  generation: string;
  expected: string;
  actual?: string;
  ok: boolean;
}

export interface VerifyReport {
  root: string;
  kind: 'ascmhl-v2' | 'ascmhl-v1' | 'none';
  manifests: string[];
  files: FileReport[];
  chain: ChainCheck[];
  problems: ManifestProblem[];
  counts: Record<FileStatus, number>;
  /** True when nothing is mismatched, missing, unsafe, unreadable or tampered with. */
  ok: boolean;
}

export interface VerifyOptions {
  signal?: AbortSignal;
  /** Called after each file with how many of the listed files are done. */
  onProgress?: (done: number, total: number, file: string) => void;
}

interface Expectation {
  path: string;
  /** Legacy MHL: the name as written, tried first when it holds backslashes. */
  writtenPath?: string;
  manifest: string;
  size?: number;
  hashes: ExpectedHash[];
}

/** Latest reference hashes per file over a history and its nested histories. */
function expectationsFromHistory(history: History, prefix = ''): Expectation[] {
  const merged = mergeGenerations(
    history.generations.map(({ fileName, generation }) => ({
      source: path.posix.join(prefix, 'ascmhl', fileName),
      entries: generation.entries.map((e) => ({ ...e, path: prefix + e.path })),
    })),
  );
  const byPath = new Map<string, Expectation>(
    merged.map(({ path: p, source, size, hashes }) => [p, { path: p, manifest: source, size, hashes }]),
  );
  for (const { relativePath, history: child } of history.nested) {
    for (const e of expectationsFromHistory(child, `${prefix}${relativePath}/`)) byPath.set(e.path, e);
  }
  return [...byPath.values()];
}

async function checkChain(history: History, prefix = ''): Promise<ChainCheck[]> {
  const checks: ChainCheck[] = [];
  for (const entry of history.chain) {
    const file = path.join(history.root, 'ascmhl', entry.path);
    const actual = await hashFile(file, ['c4']).then(
      (d) => d.c4,
      () => undefined,
    );
    checks.push({
      generation: path.posix.join(prefix, 'ascmhl', entry.path),
      expected: entry.c4,
      actual,
      ok: actual === entry.c4,
    });
  }
  for (const { relativePath, history: child } of history.nested)
    checks.push(...(await checkChain(child, `${prefix}${relativePath}/`)));
  return checks;
}

async function legacyExpectations(
  root: string,
  mhlFiles: string[],
  problems: ManifestProblem[],
  badEntries: (EntryProblem & { manifest: string; file: string })[],
): Promise<Expectation[]> {
  const expectations: Expectation[] = [];
  for (const manifest of mhlFiles) {
    const folder = path.posix.dirname(manifest);
    const inFolder = (p: string) => (folder === '.' ? p : `${folder}/${p}`).normalize('NFC');
    let parsed: MhlV1;
    try {
      parsed = parseMhlV1(await readFile(path.join(root, manifest)));
    } catch (error) {
      problems.push({ manifest, message: `${manifest}: ${(error as Error).message}` });
      continue;
    }
    for (const problem of parsed.problems) {
      if (problem.file) badEntries.push({ ...problem, manifest, file: inFolder(problem.file) });
      else
        problems.push({
          manifest,
          entry: problem.entry,
          message: `${manifest}: entry ${problem.entry}: ${problem.message}`,
        });
    }
    for (const entry of parsed.entries) {
      expectations.push({
        path: inFolder(entry.path),
        ...(entry.writtenPath ? { writtenPath: inFolder(entry.writtenPath) } : {}),
        manifest,
        size: entry.size,
        hashes: entry.hashes,
      });
    }
  }
  return expectations;
}

/** Pure: compares what a manifest expects with what was measured. */
export function judge(e: Expectation, size: number, actual: Digests): Pick<FileReport, 'status' | 'message'> {
  if (e.size !== undefined && e.size !== size) {
    return { status: 'size_mismatch', message: `size is ${size} bytes; ${e.manifest} says ${e.size}` };
  }
  const wrong = e.hashes.filter((h) => actual[h.algorithm] !== h.value);
  if (wrong.length > 0) {
    const detail = wrong
      .map((h) => `${h.algorithm} is ${actual[h.algorithm]}, expected ${h.value}`)
      .join('; ');
    return { status: 'mismatch', message: `${detail} (${e.manifest})` };
  }
  if (e.hashes.length === 0)
    return { status: 'ok', message: `present with the listed size; ${e.manifest} records no hash` };
  return { status: 'ok', message: `${e.hashes.map((h) => h.algorithm).join(', ')} match ${e.manifest}` };
}

export async function verifyFolder(root: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const absolute = path.resolve(root);
  const history = await readHistory(absolute, { tolerant: true });
  const allFiles = await listFiles(absolute, { skipMhl: false, asOnDisk: true });
  const mhlFiles = allFiles.filter((f) => f.toLowerCase().endsWith('.mhl'));
  // Manifests name files in NFC or as written; the disk may spell them in NFD (macOS).
  const onDisk = new Map(
    allFiles.filter((f) => !f.toLowerCase().endsWith('.mhl')).map((f) => [f.normalize('NFC'), f]),
  );
  const content = new Set(onDisk.keys());

  let kind: VerifyReport['kind'] = 'none';
  let expectations: Expectation[] = [];
  let chain: ChainCheck[] = [];
  let manifests: string[] = [];
  const problems: ManifestProblem[] = [];
  const badEntries: (EntryProblem & { manifest: string; file: string })[] = [];
  if (history) {
    kind = 'ascmhl-v2';
    expectations = expectationsFromHistory(history);
    chain = await checkChain(history);
    manifests = history.generations.map((g) => `ascmhl/${g.fileName}`);
    problems.push(...history.problems);
  } else if (mhlFiles.length > 0) {
    kind = 'ascmhl-v1';
    expectations = await legacyExpectations(absolute, mhlFiles, problems, badEntries);
    manifests = mhlFiles;
  }

  const files: FileReport[] = [];
  let done = 0;
  for (const e of expectations) {
    if (options.signal?.aborted) throw new Error('verification was canceled');
    // A legacy name with backslashes: the file of that very name if there is one, else the
    // backslashes read as Windows separators.
    const key = e.writtenPath && onDisk.has(e.writtenPath) ? e.writtenPath : e.path;
    const base = { path: key, manifest: e.manifest, expected: e.hashes, actual: {}, expectedSize: e.size };
    const file = resolveInside(absolute, onDisk.get(key) ?? key);
    content.delete(key);
    if (!file) {
      files.push({
        ...base,
        status: 'unsafe_path',
        message: `${e.manifest} lists a path outside the folder`,
      });
    } else {
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) {
        files.push({ ...base, status: 'missing', message: `listed in ${e.manifest} but not on disk` });
      } else {
        const algorithms = [...new Set(e.hashes.map((h) => h.algorithm))] as HashAlgorithm[];
        const sizeOk = e.size === undefined || e.size === info.size;
        const actual =
          algorithms.length && sizeOk ? await hashFile(file, algorithms, { signal: options.signal }) : {};
        files.push({ ...base, actual, size: info.size, ...judge(e, info.size, actual) });
      }
    }
    options.onProgress?.((done += 1), expectations.length, e.path);
  }
  for (const bad of badEntries) {
    const key = content.has(bad.file) ? bad.file : bad.file.replaceAll('\\', '/');
    content.delete(key);
    files.push({
      path: key,
      status: 'bad_entry',
      message: `${bad.manifest}, entry ${bad.entry}: ${bad.message}`,
      manifest: bad.manifest,
      expected: [],
      actual: {},
    });
  }
  for (const extra of content) {
    files.push({
      path: extra,
      status: 'new',
      message: 'on disk but in no manifest',
      expected: [],
      actual: {},
    });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  const counts = { ok: 0, mismatch: 0, size_mismatch: 0, missing: 0, new: 0, unsafe_path: 0, bad_entry: 0 };
  for (const f of files) counts[f.status] += 1;
  const ok =
    counts.mismatch + counts.size_mismatch + counts.missing + counts.unsafe_path + counts.bad_entry === 0 &&
    problems.length === 0 &&
    chain.every((c) => c.ok);
  return { root: absolute, kind, manifests, files, chain, problems, counts, ok };
}
