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
