/** `npm run db:migrate`: applies drizzle/ to DATABASE_URL; exits non-zero on failure. */
import { databaseUrl, parseSettings, settingsOrExit } from '@rushes/schema/settings';
import { migrateDatabase } from './lib/database.ts';

const { DATABASE_URL: url } = settingsOrExit(() =>
  parseSettings('rushes db:migrate', { DATABASE_URL: databaseUrl() }, process.env),
);
try {
  await migrateDatabase(url);
  console.log('migrations applied');
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
}
