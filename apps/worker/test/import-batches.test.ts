import { describe, expect, it } from 'vitest';
import { importBatches } from '../src/ingest.ts';

describe('import batches', () => {
  const sizes = new Map([
    ['a.mov', 5],
    ['b.mov', 5],
    ['c.mov', 5],
    ['d.mov', 30],
    ['e.mov', 1],
  ]);
  it('cuts the card in card order at a count of files or of bytes, whichever comes first', () => {
    expect(importBatches([...sizes.keys()], sizes, { files: 2, bytes: 100 })).toEqual([
      ['a.mov', 'b.mov'],
      ['c.mov', 'd.mov'],
      ['e.mov'],
    ]);
    expect(importBatches([...sizes.keys()], sizes, { files: 10, bytes: 12 })).toEqual([
      ['a.mov', 'b.mov'],
      ['c.mov'],
      ['d.mov'], // larger than the limit alone: a batch of its own
      ['e.mov'],
    ]);
  });
  it('makes the same batches from the same card (a retried plan queues the same keys)', () => {
    const files = [...sizes.keys()];
    expect(importBatches(files, sizes, { files: 2, bytes: 100 })).toEqual(
      importBatches(files, sizes, { files: 2, bytes: 100 }),
    );
    expect(importBatches([], sizes)).toEqual([]);
  });
});
