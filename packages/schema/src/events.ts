/**
 * Status events sent with `NOTIFY rushes_events` by workers and the api, and fanned out by the
 * api to subscribers. Kept small: PostgreSQL caps a NOTIFY payload at 8000 bytes.
 */
import { z } from 'zod';

export const EVENTS_CHANNEL = 'rushes_events';

export const statusEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('production.updated'),
    productionId: z.uuid(),
    state: z.enum(['pending', 'ready']),
  }),
  z.object({
    type: z.literal('task.updated'),
    productionId: z.uuid(),
    rollId: z.uuid(),
    clipId: z.uuid(),
    taskId: z.uuid(),
    kind: z.string(),
    state: z.enum(['queued', 'running', 'succeeded', 'failed', 'canceled']),
    progress: z.number().min(0).max(1),
  }),
]);

export type StatusEvent = z.infer<typeof statusEvent>;

/** Parses a NOTIFY payload; returns null for anything that is not one of our events. */
export function parseStatusEvent(payload: string | undefined): StatusEvent | null {
  if (!payload) return null;
  try {
    const result = statusEvent.safeParse(JSON.parse(payload));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/**
 * Committed writes, announced by triggers on every table the api reads (migration
 * 0005_change_notifications): the payload names the productions changed, comma-separated, or is
 * `*` for a change not tied to productions (people, sessions, keys) or to too many of them.
 */
export const CHANGES_CHANNEL = 'rushes_changes';

/** What a change notification says changed: some productions, or anything at all. */
export type Change = { kind: 'all' } | { kind: 'productions'; ids: readonly string[] };

/** Pure: a `rushes_changes` payload; anything unexpected is read as "anything may have changed". */
export function parseChange(payload: string | undefined): Change {
  if (!payload || payload === '*') return { kind: 'all' };
  const ids = payload.split(',');
  return ids.every((id) => z.uuid().safeParse(id).success) ? { kind: 'productions', ids } : { kind: 'all' };
}
