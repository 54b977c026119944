import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new migration into drizzle/ after a change to the tables.
export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/schema/src/tables/index.ts',
  out: './drizzle',
});
