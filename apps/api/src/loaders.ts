/**
 * Per-request DataLoaders: a page of clips asking for its renditions, tasks and roll costs one
 * query per relation, not one per clip. Made fresh for every request (and every subscription
 * event), so nothing is cached across callers or across time. The queries are @rushes/data's.
 */
import { clipStateCounts, findClips } from '@rushes/data/clips';
import type { Database } from '@rushes/data/db';
import { manifestsOfRolls } from '@rushes/data/manifests';
import { findProductions } from '@rushes/data/productions';
import { renditionsOfClips, type RenditionRow } from '@rushes/data/renditions';
import { findRolls } from '@rushes/data/rolls';
import { tasksOfClips, type TaskRow } from '@rushes/data/tasks';
import type { ManifestRow } from '@rushes/data/manifests';
import DataLoader from 'dataloader';

export type { StateCounts } from '@rushes/data/clips';

function byId<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | undefined>(async (ids) => {
    const rows = new Map((await load([...ids])).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id));
  });
}

function groupedBy<T, K extends keyof T>(key: K, load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T[]>(async (ids) => {
    const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const row of await load([...ids])) groups.get(row[key] as string)?.push(row);
    return ids.map((id) => groups.get(id)!);
  });
}

export function createLoaders(db: Database) {
  return {
    production: byId((ids) => findProductions(db, ids)),
    roll: byId((ids) => findRolls(db, ids)),
    clip: byId((ids) => findClips(db, ids)),
    renditionsByClip: groupedBy<RenditionRow, 'clipId'>('clipId', (ids) => renditionsOfClips(db, ids)),
    tasksByClip: groupedBy<TaskRow, 'clipId'>('clipId', (ids) => tasksOfClips(db, ids)),
    manifestsByRoll: groupedBy<ManifestRow, 'rollId'>('rollId', (ids) => manifestsOfRolls(db, ids)),
    countsByRoll: new DataLoader((ids: readonly string[]) => clipStateCounts(db, 'roll', ids)),
    countsByProduction: new DataLoader((ids: readonly string[]) => clipStateCounts(db, 'production', ids)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
