/**
 * Who may do what (pure, unit-tested): a caller's access is a role per production, or instance
 * admin. Every resolver, node lookup, subscription event and download link goes through here.
 */
import { GraphQLError } from 'graphql';

export const ROLES = ['owner', 'coordinator', 'editor', 'vendor'] as const;
export type Role = (typeof ROLES)[number];

/** What a caller wants to do in one production. */
export type Action =
  /** See the production, its rolls, clips, renditions, tasks and manifests; download proxies. */
  | 'read'
  /** Export ALE/CSV, download a roll's proxies as a zip. */
  | 'export'
  /** See the members and the audit trail. */
  | 'oversee'
  /** Create rolls, upload, import, reprocess, cancel tasks, delete clips. */
  | 'ingest'
  /** Change proxy profiles, colour pipeline and look. */
  | 'configure'
  /** Add and remove members, create and revoke API keys. */
  | 'administer';

const LEAST_ROLE: Record<Action, Role> = {
  read: 'vendor',
  export: 'vendor',
  oversee: 'coordinator',
  ingest: 'coordinator',
  configure: 'coordinator',
  administer: 'owner',
};

/** Lower rank, more power. */
const rank = (role: Role) => ROLES.indexOf(role);

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

export function roleIn(access: Access, productionId: string): Role | undefined {
  return access.admin ? 'owner' : access.roles.get(productionId);
}

export function can(access: Access, productionId: string, action: Action): boolean {
  const role = roleIn(access, productionId);
  return role !== undefined && rank(role) <= rank(LEAST_ROLE[action]);
}

/** Production ids the caller can read; `all` for an admin. */
export function readable(access: Access): 'all' | string[] {
  return access.admin ? 'all' : [...access.roles.keys()];
}

export function unauthenticated(): GraphQLError {
  return new GraphQLError('Sign in, or send an API key, to do this.', {
    extensions: { code: 'UNAUTHENTICATED' },
  });
}

export function notFound(what: string): GraphQLError {
  return new GraphQLError(`No ${what} with that id.`, { extensions: { code: 'NOT_FOUND' } });
}

/**
 * Throws unless the caller may do `action` in the production. A caller who cannot even read it
 * gets NOT_FOUND, so ids of other productions reveal nothing; a reader lacking the role gets
 * FORBIDDEN naming the role needed.
 */
export function assertCan(access: Access, productionId: string, action: Action, what = 'production'): void {
  if (!isSignedIn(access)) throw unauthenticated();
  if (can(access, productionId, action)) return;
  if (!can(access, productionId, 'read')) throw notFound(what);
  throw new GraphQLError(
    `This needs the ${LEAST_ROLE[action]} role (or higher) in the production; you are ${roleIn(access, productionId)}.`,
    { extensions: { code: 'FORBIDDEN', requiredRole: LEAST_ROLE[action] } },
  );
}

export function assertSignedIn(access: Access): void {
  if (!isSignedIn(access)) throw unauthenticated();
}

/** Only people act on accounts: API keys cannot create productions or other keys' owners. */
export function assertUser(access: Access): string {
  if (access.userId === undefined) {
    if (access.apiKeyId !== undefined) {
      throw new GraphQLError('API keys cannot do this; sign in as a person.', {
        extensions: { code: 'FORBIDDEN' },
      });
    }
    throw unauthenticated();
  }
  return access.userId;
}
