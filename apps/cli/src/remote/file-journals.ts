/**
 * Upload journals for `rushes ingest --api` kept in files, one per production, under the user's
 * cache folder — never on the card, which stays as the camera wrote it.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { journalsIn, type Journals } from '@rushes/upload-client/journal';

/** Pure: `$XDG_CACHE_HOME/rushes/uploads`, or `~/.cache/rushes/uploads`. */
export function journalFolder(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return path.join(env['XDG_CACHE_HOME'] || path.join(home, '.cache'), 'rushes', 'uploads');
}

export function fileJournals(folder: string, productionId: string): Journals {
  const file = path.join(folder, `${productionId.replace(/[^\w-]/g, '_')}.json`);
  return journalsIn({
    read: () => {
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    write: (text) => {
      if (text === null) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      // Written whole then renamed: a crash mid-write leaves the previous journal, not half of one.
      writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    },
  });
}
