import type { NewAuditEvent } from '@rushes/data/audit';
import type { Access } from './auth/access.ts';

// One transaction helper for api and worker (@rushes/data/db); `Tx` is its handle.
export { withTransaction, type Database as Tx } from '@rushes/data/db';

/** An audit event's row, with the caller as its actor. */
export function auditRow(
  access: Access,
  event: {
    productionId: string | null;
    action: string;
    subjectType: string;
    subjectId: string;
    data?: Record<string, unknown>;
  },
): NewAuditEvent {
  return {
    ...event,
    data: event.data ?? {},
    actorUserId: access.userId ?? null,
    actorApiKeyId: access.apiKeyId ?? null,
  };
}
