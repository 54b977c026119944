/** Upload journals in the browser's localStorage. */
import { describe, expect, it } from 'vitest';
import { newJournal } from '@rushes/upload-client/journal';
import { browserJournals } from '../src/lib/browser-journals.ts';

const files = [{ path: 'A001C001.mov', size: 3, lastModified: 1 }];

describe('browser journals', () => {
  it('keeps the journals of one production in browser storage, by roll', () => {
    const storage = new MemoryStorage();
    const kept = browserJournals('p1', storage);
    kept.put(newJournal('r1', 'A001', files, 1));
    kept.put(newJournal('r2', 'A002', files, 2));
    expect(
      browserJournals('p1', storage)
        .all()
        .map((j) => j.rollName),
    ).toEqual(['A001', 'A002']);
    expect(browserJournals('p2', storage).all()).toEqual([]);
    kept.remove('A001');
    expect(kept.get('A001')).toBeUndefined();
    kept.remove('A002');
    expect(storage.length).toBe(0);
    storage.setItem('rushes.uploads.p3', '{not json');
    expect(browserJournals('p3', storage).all()).toEqual([]);
  });
});

/** Storage held in memory: the Web Storage interface, as localStorage offers it. */
class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}
