import { describe, expect, it } from 'vitest';
import { summarizePlaywright, summarizeVitest, total } from '../scripts/lib/tally.ts';

describe('test tallies', () => {
  it('reads Vitest counts, counting a failed file (e.g. an import error) as a failure', () => {
    const report = {
      numPassedTests: 40,
      numFailedTests: 1,
      numFailedTestSuites: 3,
      numPendingTests: 2,
      numTodoTests: 1,
      testResults: [
        { status: 'failed', assertionResults: [] },
        { status: 'passed', assertionResults: [{ status: 'passed' }] },
      ],
    };
    expect(summarizeVitest('vitest', report, 1)).toEqual({
      suite: 'vitest',
      passed: 40,
      failed: 2,
      skipped: 3,
    });
  });

  it('counts one failed test once, not once per describe block around it', () => {
    // What Vitest reported for one failed test nested in a describe (CI printed 3 failed).
    const report = {
      numPassedTests: 898,
      numFailedTests: 1,
      numFailedTestSuites: 2,
      testResults: [{ status: 'failed', assertionResults: [{ status: 'passed' }, { status: 'failed' }] }],
    };
    expect(summarizeVitest('vitest', report, 1)).toMatchObject({ passed: 898, failed: 1 });
  });

  it('reads Playwright stats, flaky tests as passed', () => {
    const report = { stats: { expected: 3, unexpected: 0, flaky: 1, skipped: 0 } };
    expect(summarizePlaywright('e2e', report, 0)).toEqual({ suite: 'e2e', passed: 4, failed: 0, skipped: 0 });
  });

  it('never lets a suite that crashed without a report pass', () => {
    expect(summarizePlaywright('e2e', undefined, 1)).toEqual({
      suite: 'e2e',
      passed: 0,
      failed: 1,
      skipped: 0,
      note: 'exited with status 1 without a failed test',
    });
  });

  it('sums suites', () => {
    expect(
      total([
        { suite: 'a', passed: 2, failed: 1, skipped: 0 },
        { suite: 'b', passed: 3, failed: 0, skipped: 4 },
      ]),
    ).toEqual({ passed: 5, failed: 1, skipped: 4 });
  });
});
