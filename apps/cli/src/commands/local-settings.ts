/** The settings of commands that talk to the database and store directly (not through the api). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { databaseUrl, parseSettings, settingsOrExit } from '@rushes/schema/settings';
import { storageProblems, storageSettings } from '@rushes/storage';
import { z } from 'zod';

/** What `npm start` wrote for local tools: its database and store. */
export const CONNECTION_FILE = 'connection.json';

function platformDefaults(env: NodeJS.ProcessEnv): Record<string, string> {
  const dir = path.resolve(env['RUSHES_DATA_DIR'] ?? '.rushes');
  try {
    return JSON.parse(readFileSync(path.join(dir, CONNECTION_FILE), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** DATABASE_URL, STORAGE_*, S3_*: from the environment, else from the running `npm start`. */
export function localSettings() {
  return settingsOrExit(() =>
    parseSettings(
      'rushes',
      { DATABASE_URL: databaseUrl(), ...storageSettings, RUSHES_DATA_DIR: z.string().optional() },
      { ...platformDefaults(process.env), ...process.env },
      storageProblems,
    ),
  );
}
