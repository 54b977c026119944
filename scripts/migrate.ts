/** `npm run db:migrate`: applies drizzle/ to DATABASE_URL; exits non-zero on failure. */
import { databaseUrl, exitOnSettingsError, parseSettings } from '@rushes/schema/settings';
import { migrateDatabase } from './lib/database.ts';

let url: string;
try {
  url = parseSettings('rushes db:migrate', { DATABASE_URL: databaseUrl() }, process.env).DATABASE_URL;
} catch (error) {
  exitOnSettingsError(error);
}
try {
  await migrateDatabase(url);
  console.log('migrations applied');
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
}
