import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `source` export condition), so
// unit and integration tests need no build. Only the end-to-end tests run the built apps.
export default defineConfig({
  // Neither Vite's default 'module' condition (it picks bundler-only builds, such as the AWS SDK's
  // dist-es with extensionless imports) nor 'import' (a CommonJS require of pg-pool then gets
  // its ESM wrapper): Node's own resolution for everything but our sources.
  ssr: { resolve: { conditions: ['source', 'node', 'default'] } },
  // graphql ships CommonJS (main) and ESM (module) copies; Node, and so Apollo, type-graphql and
  // graphql-ws, load the CommonJS one. Our sources must use the same copy, or a schema built by
  // one is "from another module or realm" to the other.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    // type-graphql's decorators need the metadata API before a type module is evaluated; the
    // api's entry points (server.ts, print-schema.ts) import it first, tests get it here.
    setupFiles: ['reflect-metadata'],
    // Vitest's default is one worker fewer than the cores: a single one on a 2-core machine, where
    // test files then run one after another while most of them wait on PostgreSQL, ffmpeg or a
    // timer. Measured on 2 cores, six integration files: 28 s with 1 worker, 18 s with 2, 32 s with 3.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{apps,packages}/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.heavy.test.ts', '**/node_modules/**'],
          // Pure tests share each worker's modules instead of importing them again per file, where
          // importing was most of their time (2 cores: 37 s isolated with 1 worker, 8 s shared
          // with 2). A unit test must therefore leave no module state behind (no vi.mock).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{apps,packages}/*/test/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          globalSetup: ['test/support/postgres.global.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Minutes each (a fresh install, image builds, a cluster): not in the everyday run.
        // `npm run test:heavy` runs them; `npm test` with CI=true runs them as their own suite.
        extends: true,
        test: {
          name: 'heavy',
          include: ['{apps,packages}/*/test/**/*.heavy.test.ts', 'test/**/*.heavy.test.ts'],
          globalSetup: ['test/support/postgres.global.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
