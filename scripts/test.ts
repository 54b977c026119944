/**
 * `npm test`: every suite — Vitest (unit, integration) then Playwright (end-to-end in Chromium) —
 * a line per suite with its counts and wall time, and one closing line summing them:
 * `N passed, N failed` (`, N skipped` when some were).
 * With CI=true the static checks (types, lint, format) run first and count as one test each, and
 * the heavy suite (`*.heavy.test.ts`: minutes each, such as a fresh clone's install) runs last as a
 * suite of its own; `--heavy` (`npm run test:heavy`) runs the heavy suite alone.
 * Exits non-zero when any test failed or a suite could not report.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizePlaywright, summarizeVitest, total, type Tally } from './lib/tally.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = path.join(root, 'test-results');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

/**
 * Runs one suite: resolves to its exit status, and records its wall time in `seconds`. With
 * `log`, its output goes to that file instead of the terminal (a suite running beside another).
 */
function runSuite(suite: string, command: string, args: string[], log?: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const out = log ? openSync(log, 'w') : 'inherit';
    const child = spawn(command, args, { cwd: root, stdio: log ? ['ignore', out, out] : 'inherit' });
    child.on('exit', (code) => {
      if (typeof out === 'number') closeSync(out);
      seconds.set(suite, (performance.now() - started) / 1000);
      resolve(code ?? 1);
    });
  });
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

await rm(results, { recursive: true, force: true });
await mkdir(results, { recursive: true });

const heavyOnly = process.argv.includes('--heavy');
const tallies: Tally[] = [];
const seconds = new Map<string, number>();
if (process.env['CI'] === 'true' && !heavyOnly) {
  for (const [suite, script] of [
    ['typecheck', 'typecheck'],
    ['lint', 'lint'],
  ] as const) {
    const status = await runSuite(suite, 'npm', ['run', '--silent', script]);
    tallies.push({ suite, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, skipped: 0 });
  }
}
// The everyday suites, then (with CI=true, or alone with --heavy) the heavy ones, as their own suite.
async function vitest(suite: string, projects: string[]): Promise<void> {
  const json = path.join(results, `${suite}.json`);
  const status = await runSuite(suite, bin('vitest'), [
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${json}`,
  ]);
  tallies.push(summarizeVitest(suite, await readJson(json), status));
}
if (!heavyOnly) {
  // Playwright runs beside Vitest: both spend most of their time waiting on PostgreSQL, ffmpeg or
  // a browser, so on 2 cores the pair takes little longer than Vitest alone. Its output is
  // printed when it ends. RUSHES_TEST_SERIAL=1 runs them one after the other.
  const serial = process.env['RUSHES_TEST_SERIAL'] === '1';
  const e2eLog = path.join(results, 'playwright.log');
  const playwright = async () => {
    const status = await runSuite('playwright', bin('playwright'), ['test'], serial ? undefined : e2eLog);
    if (!serial) process.stdout.write(`\n== playwright\n${await readFile(e2eLog, 'utf8')}`);
    return status;
  };
  let playwrightStatus: number;
  if (serial) {
    await vitest('vitest', ['unit', 'integration']);
    playwrightStatus = await playwright();
  } else {
    [, playwrightStatus] = await Promise.all([vitest('vitest', ['unit', 'integration']), playwright()]);
  }
  tallies.push(
    summarizePlaywright('playwright', await readJson(path.join(results, 'e2e.json')), playwrightStatus),
  );
}
if (heavyOnly || process.env['CI'] === 'true') await vitest('heavy', ['heavy']);

for (const t of tallies) {
  console.log(
    `${t.suite}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${t.note ? ` (${t.note})` : ''}` +
      ` in ${(seconds.get(t.suite) ?? 0).toFixed(1)} s`,
  );
}
console.log(`wall time: ${(performance.now() / 1000).toFixed(1)} s`);
const sum = total(tallies);
console.log(`${sum.passed} passed, ${sum.failed} failed${sum.skipped ? `, ${sum.skipped} skipped` : ''}`);
process.exit(sum.failed > 0 ? 1 : 0);
