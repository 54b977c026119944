/** Every file or folder of the repository that README.md names exists, so the README cannot rot. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/**
 * Paths the README names that are not the repository's: made at run time, on a camera card, or
 * by the operator (`deploy/.env`, the secrets compose reads).
 */
const notInTheRepository = new Set([
  '.rushes/',
  '.rushes/connection.json',
  '.rushes/storage',
  'test-results/e2e/',
  'ascmhl/',
  'deploy/.env',
]);

/**
 * Link targets, and code spans that are relative paths with a folder in them (`apps/api/x.ts`,
 * `e2e/`): no scheme, no leading `/`, `$`, `~` or `<`, no spaces, no glob.
 */
function relativePaths(markdown: string): string[] {
  const links = [...markdown.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
  const spans = [...markdown.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  const candidates = [...links, ...spans.filter((s) => /^[\w.-]+\/[\w./-]*$/.test(s))];
  return [...new Set(candidates)].filter(
    (p) => !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.startsWith('@') && !notInTheRepository.has(p),
  );
}

describe('README.md', () => {
  it('finds the paths it should check, and none outside the repository', () => {
    const paths = relativePaths(readme);
    expect(paths).toContain('docs/api.md');
    expect(paths).toContain('apps/api/schema.graphql');
    expect(paths.filter((p) => path.relative(root, path.resolve(root, p)).startsWith('..'))).toEqual([]);
  });

  it('names only paths that exist in the repository', () => {
    expect(relativePaths(readme).filter((p) => !existsSync(path.join(root, p)))).toEqual([]);
  });

  it('tells a path from a URL, a package name, an absolute path and a glob', () => {
    expect(
      relativePaths(
        '[a](docs/a.md#x) `b/c.ts` `e2e/` `http://x/y` `@scope/pkg` `/graphql` `$HOME/x` `apps/*/test` `x.ts`',
      ),
    ).toEqual(['docs/a.md', 'b/c.ts', 'e2e/']);
  });
});
