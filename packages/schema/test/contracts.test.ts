import { describe, expect, it } from 'vitest';
import { parseStatusEvent } from '../src/events.ts';
import { isJobName, jobNames, parseJobPayload, queueOptions } from '../src/jobs.ts';

const id = '6f1c2d1e-8c1b-4a53-9a55-2b7d3c9e0f11';

describe('job contracts', () => {
  it('names every job and validates its payload', () => {
    expect(jobNames).toContain('production.setup');
    expect(isJobName('production.setup')).toBe(true);
    expect(isJobName('toString')).toBe(false);
    expect(parseJobPayload('production.setup', { productionId: id })).toEqual({ productionId: id });
    expect(() => parseJobPayload('production.setup', { productionId: 'x' })).toThrow(/productionId/);
  });

  it('gives every queue retries with backoff, a lease and NOTIFY wake-ups', () => {
    for (const name of jobNames) {
      expect(queueOptions(name)).toMatchObject({ retryBackoff: true, notify: true });
      expect(queueOptions(name).expireInSeconds).toBeGreaterThan(0);
    }
  });
});

describe('status events', () => {
  it('parses a production event', () => {
    const payload = JSON.stringify({ type: 'production.updated', productionId: id, state: 'ready' });
    expect(parseStatusEvent(payload)).toEqual({
      type: 'production.updated',
      productionId: id,
      state: 'ready',
    });
  });

  it('returns null for anything else: bad JSON, unknown types, out-of-range progress', () => {
    expect(parseStatusEvent(undefined)).toBeNull();
    expect(parseStatusEvent('{not json')).toBeNull();
    expect(parseStatusEvent(JSON.stringify({ type: 'nope' }))).toBeNull();
    const task = {
      type: 'task.updated',
      productionId: id,
      rollId: id,
      clipId: id,
      taskId: id,
      kind: 'probe',
      state: 'running',
    };
    expect(parseStatusEvent(JSON.stringify({ ...task, progress: 0.5 }))).not.toBeNull();
    expect(parseStatusEvent(JSON.stringify({ ...task, progress: 1.5 }))).toBeNull();
  });
});
