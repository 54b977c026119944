/**
 * Reading ASC MHL v2 histories from disk: the `ascmhl/` folder of a root, its generations in
 * sequence, its chain file, and the histories of sub-folders that have their own `ascmhl/`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseChain, parseMhlV2, type ChainEntry, type MhlV2Generation } from './ascmhl-v2.ts';
import { ManifestError } from './xml.ts';

export interface Generation {
  sequence: number;
  fileName: string;
  generation: MhlV2Generation;
}

export interface History {
  /** Absolute path of the folder the history describes (the one holding `ascmhl/`). */
  root: string;
  generations: Generation[];
  chain: ChainEntry[];
  /** Histories of sub-folders, each relative to its own root. */
  nested: { relativePath: string; history: History }[];
  /** With `tolerant`: generations or chain files that could not be read (paths relative to root). */
  problems: { manifest: string; message: string }[];
}

export interface ReadHistoryOptions {
  /**
   * Report a generation or chain file that cannot be read in `problems` and go on with the rest
   * (verification), instead of throwing (writing a new generation on top of it).
   */
  tolerant?: boolean;
}

const GENERATION = /^(\d{4,})_.+\.mhl$/i;

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function nestedRoots(root: string, relative = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'ascmhl') continue;
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (await isDirectory(path.join(root, child, 'ascmhl'))) found.push(child);
    else found.push(...(await nestedRoots(root, child)));
  }
  return found;
}

/** The history at `root`, or undefined when it has no `ascmhl/` folder. */
export async function readHistory(
  root: string,
  options: ReadHistoryOptions = {},
): Promise<History | undefined> {
  const folder = path.join(root, 'ascmhl');
  if (!(await isDirectory(folder))) return undefined;
  const names = (await readdir(folder)).filter((n) => GENERATION.test(n));
  const generations: Generation[] = [];
  const problems: History['problems'] = [];
  const failed = (manifest: string, error: unknown) => {
    const problem = new ManifestError(`${manifest}: ${(error as Error).message}`);
    if (!options.tolerant) throw problem;
    problems.push({ manifest, message: problem.message });
  };
  for (const fileName of names) {
    try {
      const generation = parseMhlV2(await readFile(path.join(folder, fileName)));
      generations.push({ sequence: Number(GENERATION.exec(fileName)![1]), fileName, generation });
    } catch (error) {
      failed(`ascmhl/${fileName}`, error);
    }
  }
  generations.sort((a, b) => a.sequence - b.sequence);
  const chainFile = path.join(folder, 'ascmhl_chain.xml');
  let chain: ChainEntry[] = [];
  if (await stat(chainFile).catch(() => undefined)) {
    try {
      chain = parseChain(await readFile(chainFile));
    } catch (error) {
      failed('ascmhl/ascmhl_chain.xml', error);
    }
  }
  const nested: History['nested'] = [];
  for (const relativePath of await nestedRoots(root)) {
    const history = await readHistory(path.join(root, relativePath), options);
    if (history) {
      nested.push({ relativePath, history });
      for (const p of history.problems)
        problems.push({ manifest: `${relativePath}/${p.manifest}`, message: `${relativePath}/${p.message}` });
    }
  }
  return { root: path.resolve(root), generations, chain, nested, problems };
}
