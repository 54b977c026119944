/** Walking a card or folder the way manifests see it: relative `/` paths, NFC, no MHL folders. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Never listed as content: MHL histories and Finder litter. */
const SKIPPED = new Set(['ascmhl', '.DS_Store']);

/**
 * Every regular file below `root`, as relative paths with `/` separators, in NFC (for comparing
 * with manifests) or, with `asOnDisk`, exactly as the file system spells them (for opening them:
 * a card written on macOS may hold NFD names).
 */
export async function listFiles(root: string, { skipMhl = true, asOnDisk = false } = {}): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string) => {
    const entries = await readdir(path.join(root, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (SKIPPED.has(entry.name)) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && !(skipMhl && entry.name.toLowerCase().endsWith('.mhl')))
        found.push(asOnDisk ? child : child.normalize('NFC'));
    }
  };
  await walk('');
  return found.sort();
}

/**
 * Resolves a manifest's relative path inside `root`; undefined when it would leave the folder
 * (absolute paths, `..`), which a hostile or broken manifest may try.
 */
export function resolveInside(root: string, relative: string): string | undefined {
  // A backslash is part of a name here (legacy MHLs' Windows separators are converted on reading).
  if (relative.startsWith('/') || /^[A-Za-z]:[\\/]/.test(relative)) return undefined;
  const resolved = path.resolve(root, relative);
  const base = path.resolve(root);
  return resolved === base || !resolved.startsWith(base + path.sep) ? undefined : resolved;
}
