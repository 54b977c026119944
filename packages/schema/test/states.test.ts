import { describe, expect, it } from 'vitest';
import { clipState, rollState } from '../src/states.ts';

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
