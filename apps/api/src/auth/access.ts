/**
 * Who the caller is (pure): a role per production, or instance admin. What each may do is the
 * policy table's business (policy.ts), applied to requests by the gate (gate.ts).
 */
import { memberRole } from '@rushes/schema/tables';

/** The production member roles, most powerful first (the database enum's order). */
export const ROLES = memberRole.enumValues;
export type Role = (typeof ROLES)[number];

export interface Access {
  userId?: string;
  apiKeyId?: string;
  /** Instance admin: every action in every production. */
  admin: boolean;
  roles: ReadonlyMap<string, Role>;
}

export const ANONYMOUS: Access = Object.freeze({ admin: false, roles: new Map() });

export function isSignedIn(access: Access): boolean {
  return access.userId !== undefined || access.apiKeyId !== undefined;
}

/** The caller's role in a production: owner for an admin, undefined for a stranger. */
export function roleIn(access: Access, productionId: string): Role | undefined {
  return access.admin ? 'owner' : access.roles.get(productionId);
}

/** The same access with one more role (the creator of a production is its owner at once). */
export function withRole(access: Access, productionId: string, role: Role): Access {
  return { ...access, roles: new Map([...access.roles, [productionId, role]]) };
}
