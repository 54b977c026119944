import { jobNames } from '@rushes/schema/jobs';
import { describe, expect, it } from 'vitest';
import { loadWorkerSettings } from '../src/config.ts';
import { concurrencyFor, jobKind, MAX_LIGHT_JOBS, renderThreadsFor, sizeWorker } from '../src/sizing.ts';

describe('worker sizing', () => {
  it('tells renders from light and io work', () => {
    expect(jobKind('clip.render')).toBe('render');
    expect(jobKind('clip.verify')).toBe('light');
    expect(jobKind('clip.probe')).toBe('light');
    expect(jobKind('roll.import')).toBe('io');
    expect(jobKind('roll.seal')).toBe('io');
  });

  it.each([
    // cores → renders, light jobs (verify or probe) per queue
    [1, 1, 2],
    [2, 1, 2],
    [3, 1, 3],
    [4, 2, 4],
    [16, 8, MAX_LIGHT_JOBS],
  ])('%i cores: %i renders at once, %i light jobs per queue', (cores, renders, light) => {
    expect(concurrencyFor('render', cores)).toBe(renders);
    expect(concurrencyFor('light', cores)).toBe(light);
    expect(concurrencyFor('io', cores)).toBe(2);
  });

  it('never runs fewer than one job, whatever the core count says', () => {
    expect(concurrencyFor('render', 0)).toBe(1);
    expect(concurrencyFor('render', 0.5)).toBe(1);
    expect(renderThreadsFor(0, 1)).toBe(1);
  });

  it('shares the cores among the renders: renders × threads never above the cores', () => {
    expect(renderThreadsFor(1, 1)).toBe(1);
    expect(renderThreadsFor(2, 1)).toBe(2);
    expect(renderThreadsFor(3, 1)).toBe(3);
    expect(renderThreadsFor(16, 8)).toBe(2);
    // More renders than cores (an explicit concurrency): one thread each.
    expect(renderThreadsFor(2, 6)).toBe(1);
    for (const cores of [1, 2, 3, 4, 6, 8, 12, 16, 64]) {
      const renders = concurrencyFor('render', cores);
      expect(renders * renderThreadsFor(cores, renders)).toBeLessThanOrEqual(cores);
      expect(renders * renderThreadsFor(cores, renders)).toBeGreaterThan(cores - 2);
    }
  });

  it('gives a 2-core worker one render with two threads, two verifies and two probes', () => {
    const sizing = sizeWorker(['clip.verify', 'clip.probe', 'clip.render'], 2);
    expect(sizing).toEqual({
      concurrency: { 'clip.verify': 2, 'clip.probe': 2, 'clip.render': 1 },
      renderThreads: 2,
    });
    // One core (taskset -c 0): one render with one thread.
    expect(sizeWorker(['clip.render'], 1)).toEqual({ concurrency: { 'clip.render': 1 }, renderThreads: 1 });
  });

  it('lets an explicit WORKER_CONCURRENCY win for every queue, with threads shared among those renders', () => {
    const sizing = sizeWorker(['clip.verify', 'clip.render', 'roll.import'], 8, 3);
    expect(sizing).toEqual({
      concurrency: { 'clip.verify': 3, 'clip.render': 3, 'roll.import': 3 },
      renderThreads: 2,
    });
  });

  it('reads WORKER_CONCURRENCY as optional: unset sizes the worker, a number wins, 0 is refused', () => {
    const base = { DATABASE_URL: 'postgres://u@localhost/db', STORAGE_SIGNING_SECRET: 's'.repeat(32) };
    expect(loadWorkerSettings(base).WORKER_CONCURRENCY).toBeUndefined();
    expect(loadWorkerSettings({ ...base, WORKER_CONCURRENCY: '5' }).WORKER_CONCURRENCY).toBe(5);
    expect(() => loadWorkerSettings({ ...base, WORKER_CONCURRENCY: '0' })).toThrow(/WORKER_CONCURRENCY/);
    expect(sizeWorker(jobNames, 2).concurrency['clip.render']).toBe(1);
  });
});
