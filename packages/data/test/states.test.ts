import { describe, expect, it } from 'vitest';
import {
  clipState,
  importFailureMessage,
  importStatus,
  rollState,
  rollStateWithImport,
} from '../src/states.ts';

const required = ['verify', 'probe'];

describe('clip state', () => {
  it.each([
    [[], 'pending'],
    [[{ kind: 'verify', state: 'queued' }], 'processing'],
    [[{ kind: 'verify', state: 'succeeded' }], 'processing'],
    [
      [
        { kind: 'verify', state: 'succeeded' },
        { kind: 'probe', state: 'running' },
      ],
      'processing',
    ],
    [[{ kind: 'verify', state: 'failed' }], 'failed'],
    [
      [
        { kind: 'verify', state: 'succeeded' },
        { kind: 'probe', state: 'succeeded' },
      ],
      'ready',
    ],
    [
      [
        { kind: 'verify', state: 'succeeded' },
        { kind: 'probe', state: 'succeeded' },
        { kind: 'proxy:review', state: 'failed' },
      ],
      'partial',
    ],
    [
      [
        { kind: 'verify', state: 'succeeded' },
        { kind: 'probe', state: 'canceled' },
      ],
      'failed',
    ],
  ] as const)('%j → %s', (tasks, expected) => {
    expect(clipState(tasks, required)).toBe(expected);
  });
});

describe('roll state', () => {
  it.each([
    [[], 'pending'],
    [['pending', 'pending'], 'pending'],
    [['ready', 'pending'], 'processing'],
    [['ready', 'processing'], 'processing'],
    [['ready', 'ready'], 'ready'],
    [['failed', 'failed'], 'failed'],
    [['ready', 'failed'], 'partial'],
    [['ready', 'partial'], 'partial'],
  ] as const)('%j → %s', (clips, expected) => {
    expect(rollState(clips)).toBe(expected);
  });
});

describe('import status', () => {
  it.each([
    [{ importFilesTotal: null, importFilesDone: null, importFailed: false }, 'none'],
    [{ importFilesTotal: 10, importFilesDone: null, importFailed: false }, 'running'],
    [{ importFilesTotal: 10, importFilesDone: 9, importFailed: false }, 'running'],
    [{ importFilesTotal: 10, importFilesDone: 10, importFailed: false }, 'done'],
    [{ importFilesTotal: 10, importFilesDone: 4, importFailed: true }, 'failed'],
    [{ importFilesTotal: null, importFilesDone: null, importFailed: true }, 'failed'],
  ] as const)('%o is %s', (roll, expected) => {
    expect(importStatus(roll)).toBe(expected);
  });
});

describe('roll state with its import', () => {
  it.each([
    [['ready', 'ready'], 'running', 'processing'],
    [['failed'], 'running', 'processing'],
    [[], 'running', 'pending'],
    [['ready', 'ready'], 'done', 'ready'],
    [['ready', 'failed'], 'none', 'partial'],
    [['ready'], 'failed', 'failed'],
    [[], 'failed', 'failed'],
  ] as const)('clips %o with import %s: %s', (clips, status, expected) => {
    expect(rollStateWithImport(clips, status)).toBe(expected);
  });
});

describe('importFailureMessage', () => {
  it('counts what is missing, or gives the reason alone before the card was listed', () => {
    expect(importFailureMessage(5000, 352, 'database gone')).toBe(
      '4,648 of 5,000 files were not imported: database gone',
    );
    expect(importFailureMessage(null, null, '/x is not a folder')).toBe('/x is not a folder');
  });
});
