/**
 * `npm test`: every suite — Vitest (unit, integration) then Playwright (end-to-end in Chromium) —
 * and one closing line summing them: `N passed, N failed` (`, N skipped` when some were).
 * With CI=true the static checks (types, lint, format) run first and count as one test each.
 * Exits non-zero when any test failed or a suite could not report.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizePlaywright, summarizeVitest, total, type Tally } from './lib/tally.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = path.join(root, 'test-results');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

function runSuite(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
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

const tallies: Tally[] = [];
if (process.env['CI'] === 'true') {
  for (const [suite, script] of [
    ['typecheck', 'typecheck'],
    ['lint', 'lint'],
  ] as const) {
    const status = await runSuite('npm', ['run', '--silent', script]);
    tallies.push({ suite, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, skipped: 0 });
  }
}
const vitestJson = path.join(results, 'vitest.json');
const vitestStatus = await runSuite(bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
tallies.push(summarizeVitest('vitest', await readJson(vitestJson), vitestStatus));

const playwrightStatus = await runSuite(bin('playwright'), ['test']);
tallies.push(
  summarizePlaywright('playwright', await readJson(path.join(results, 'e2e.json')), playwrightStatus),
);

for (const t of tallies) {
  console.log(
    `${t.suite}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${t.note ? ` (${t.note})` : ''}`,
  );
}
const sum = total(tallies);
console.log(`${sum.passed} passed, ${sum.failed} failed${sum.skipped ? `, ${sum.skipped} skipped` : ''}`);
process.exit(sum.failed > 0 ? 1 : 0);
