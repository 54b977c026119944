/** Pure: counts from the JSON reports of Vitest and Playwright. */

export interface Tally {
  suite: string;
  passed: number;
  failed: number;
  skipped: number;
  note?: string;
}

const count = (value: unknown) => (typeof value === 'number' ? value : 0);

/**
 * A suite that exited non-zero without reporting a failed test (a crash, a failed set-up) counts
 * as one failure, so it can never pass silently.
 */
function settle(tally: Tally, exitStatus: number): Tally {
  if (exitStatus !== 0 && tally.failed === 0) {
    return { ...tally, failed: 1, note: `exited with status ${exitStatus} without a failed test` };
  }
  return tally;
}

interface VitestFile {
  status?: string;
  assertionResults?: { status?: string }[];
}

/**
 * Failed tests, plus each file that failed without a failed test (an import error, a failing
 * beforeAll). Not `numFailedTestSuites`: Vitest counts every describe block around a failed test
 * there, so one failed test read as three.
 */
function vitestFailures(r: Record<string, unknown>): number {
  const files = Array.isArray(r['testResults']) ? (r['testResults'] as VitestFile[]) : [];
  const brokenFiles = files.filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  return count(r['numFailedTests']) + brokenFiles;
}

export function summarizeVitest(suite: string, report: unknown, exitStatus: number): Tally {
  const r = (report ?? {}) as Record<string, unknown>;
  return settle(
    {
      suite,
      passed: count(r['numPassedTests']),
      failed: vitestFailures(r),
      skipped: count(r['numPendingTests']) + count(r['numTodoTests']),
    },
    exitStatus,
  );
}

export function summarizePlaywright(suite: string, report: unknown, exitStatus: number): Tally {
  const stats = ((report ?? {}) as { stats?: Record<string, unknown> }).stats ?? {};
  return settle(
    {
      suite,
      passed: count(stats['expected']) + count(stats['flaky']),
      failed: count(stats['unexpected']),
      skipped: count(stats['skipped']),
    },
    exitStatus,
  );
}

export function total(tallies: readonly Tally[]): Omit<Tally, 'suite'> {
  return tallies.reduce(
    (sum, t) => ({
      passed: sum.passed + t.passed,
      failed: sum.failed + t.failed,
      skipped: sum.skipped + t.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
}
