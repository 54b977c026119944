import { describe, expect, it } from 'vitest';
import { checkProductionChanges } from '../src/modules/production/production.rules.ts';
import { checkRollName } from '../src/modules/roll/roll.rules.ts';
import { checkCardPath, checkSize, partCount, partSizeFor } from '../src/modules/upload/upload.rules.ts';
import { jobOfTask } from '../src/modules/task/task.rules.ts';
import { readPage, toConnection } from '../src/graphql/relay.ts';

const message = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('pages', () => {
  it('reads first/after and builds connections with cursors and page info', () => {
    const page = readPage({ first: 2 });
    const first = toConnection(['a', 'b'], page, 5);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const next = readPage({ first: 2, after: first.pageInfo.endCursor });
    expect(next).toEqual({ offset: 2, limit: 2 });
    expect(toConnection(['e'], { offset: 4, limit: 2 }, 5).pageInfo.hasNextPage).toBe(false);
    expect(message(() => readPage({ first: 0 }))).toBe('first must be between 1 and 500; got 0.');
  });
});

describe('production settings', () => {
  it('accepts known profiles and a CDL look, and names the field of a bad one', () => {
    expect(checkProductionChanges({ proxyProfiles: [{ id: 'avid', maxWidth: 1280 }] })).toEqual({
      ok: true,
      value: { proxyProfiles: [{ id: 'avid', maxWidth: 1280 }] },
    });
    expect(checkProductionChanges({ proxyProfiles: [{ id: 'final-cut' }] })).toMatchObject({
      ok: false,
      field: 'proxyProfiles',
    });
    expect(checkProductionChanges({ proxyProfiles: [{ id: 'avid' }, { id: 'avid' }] })).toMatchObject({
      ok: false,
      message: 'Profile "avid" is listed twice.',
    });
    expect(
      checkProductionChanges({
        colorPipeline: { look: { slope: [1, 1], offset: [0, 0, 0], power: [1, 1, 1], saturation: 1 } },
      }),
    ).toMatchObject({
      ok: false,
      field: 'colorPipeline',
    });
    expect(checkProductionChanges({ fpsNum: 24000 })).toMatchObject({ ok: false, field: 'fpsNum' });
    expect(checkProductionChanges({ fpsNum: 24000, fpsDen: 1001, name: ' New  name ' })).toEqual({
      ok: true,
      value: { name: 'New name', fpsNum: 24000, fpsDen: 1001 },
    });
  });
});

describe('rolls and uploads', () => {
  // Import locations: packages/storage/test/import-roots.test.ts.
  it('takes roll names that are path segments', () => {
    expect(checkRollName(' A001 ')).toBe('A001');
    expect(message(() => checkRollName('../A001'))).toContain('is not a valid roll name');
    expect(message(() => checkRollName('..'))).toContain('is not a valid roll name');
  });

  it('keeps card paths inside the roll and refuses hidden files', () => {
    expect(checkCardPath('/CLIPS/A001C001.MXF')).toBe('CLIPS/A001C001.MXF');
    expect(checkCardPath('Cafe\u0301.mov')).toBe('Café.mov');
    expect(message(() => checkCardPath('a/../../b.mov'))).toContain('".." segment');
    expect(message(() => checkCardPath('.DS_Store'))).toContain('hidden file');
    expect(message(() => checkCardPath('a\\b.mov'))).toContain('backslash');
  });

  it('sizes parts at 8 MiB, larger when a file would need more than 10,000', () => {
    expect(partSizeFor(100)).toBe(8 * 1024 * 1024);
    expect(partCount(100, partSizeFor(100))).toBe(1);
    const huge = 200 * 1024 ** 3;
    expect(partCount(huge, partSizeFor(huge))).toBeLessThanOrEqual(10_000);
    expect(message(() => checkSize(0))).toContain('size must be a whole number of bytes');
  });

  it('maps task kinds to their queues', () => {
    expect(['verify', 'probe', 'review', 'proxy:avid', 'proxy:premiere', 'images'].map(jobOfTask)).toEqual([
      'clip.verify',
      'clip.probe',
      'clip.render',
      'clip.render',
      'clip.render',
      undefined,
    ]);
  });
});
