/**
 * Relay global ids: `base64url("<Type>:<uuid>")`. Opaque to callers, and they say which table
 * to look in, so `node(id)` needs no guessing and an id of one type is refused where another
 * is expected.
 */
export const NODE_TYPES = [
  'Production',
  'Roll',
  'Clip',
  'Rendition',
  'Task',
  'Manifest',
  'Member',
  'ApiKey',
  'AuditEvent',
  'ImportRoot',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function toGlobalId(type: NodeType, id: string | number): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

/** The type and the database id, or undefined for anything that is not one of our ids. */
export function fromGlobalId(globalId: string): { type: NodeType; id: string } | undefined {
  const decoded = Buffer.from(globalId, 'base64url').toString();
  const colon = decoded.indexOf(':');
  const type = decoded.slice(0, colon) as NodeType;
  const id = decoded.slice(colon + 1);
  if (colon < 0 || !NODE_TYPES.includes(type)) return undefined;
  // Members are production:user pairs, audit events are serial numbers; the rest are uuids.
  const valid =
    type === 'AuditEvent'
      ? /^\d{1,18}$/.test(id)
      : type === 'Member'
        ? id.split(':').length === 2 && id.split(':').every((part) => UUID.test(part))
        : UUID.test(id);
  return valid ? { type, id } : undefined;
}
