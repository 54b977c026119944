/** Upload journals kept in the browser's localStorage, one item per production. */
import { journalsIn, type Journals } from '@rushes/upload-client/journal';

export function browserJournals(productionId: string, storage: Storage = window.localStorage): Journals {
  const key = `rushes.uploads.${productionId}`;
  return journalsIn({
    read: () => storage.getItem(key),
    write: (text) => (text === null ? storage.removeItem(key) : storage.setItem(key, text)),
  });
}
