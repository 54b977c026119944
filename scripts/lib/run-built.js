/**
 * What the committed bin files (`rushes`, `rushes-engine`) run: the package's build output,
 * built first when it is missing. npm links a workspace's bins at install time, before anything
 * is built, so a bin pointing straight at dist/ gets no link and `npx NAME` asks the public
 * registry instead (E404). Plain JavaScript: it runs before any TypeScript is compiled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Imports `entry` (a file URL under a package's dist/), after building `packageName` and the
 * packages it depends on with turbo if the file does not exist yet. Turbo's output goes to
 * stderr, so the command's stdout (e.g. `--json`) stays its own.
 */
export async function runBuilt(entry, packageName) {
  if (!existsSync(entry)) {
    process.stderr.write(
      `${packageName} is not built yet: building it once (npx turbo run build --filter=${packageName})…\n`,
    );
    const built = spawnSync(
      path.join(root, 'node_modules', '.bin', 'turbo'),
      ['run', 'build', `--filter=${packageName}`, '--output-logs=errors-only'],
      {
        cwd: root,
        stdio: ['ignore', 2, 2],
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
      },
    );
    if (built.status !== 0 || !existsSync(entry)) {
      process.stderr.write(`could not build ${packageName}; run \`npm run build\` and look at its errors\n`);
      process.exit(1);
    }
  }
  await import(entry.href);
}
