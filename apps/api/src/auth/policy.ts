/**
 * The authorization policy as one table (pure, unit-tested): which principals may do which
 * action on which kind of resource. `decide` is the only place a permission is evaluated;
 * gate.ts applies it to requests (resolvers, subscriptions, signed links).
 *
 * Principals: a production role (a member's, or an API key's role in the productions it is
 * scoped to), `admin` (instance administrator: owner of every production), `person` (anyone
 * signed in as a user) and `api-key` (anyone calling with a key).
 */
import { ROLES, roleIn, type Access, type Role } from './access.ts';

export { ROLES, type Role };

/** Actions in one production. */
export const PRODUCTION_ACTIONS = ['read', 'export', 'oversee', 'ingest', 'configure', 'administer'] as const;
export type ProductionAction = (typeof PRODUCTION_ACTIONS)[number];

/** Actions on the instance as a whole. */
export const INSTANCE_ACTIONS = ['manage-import-roots'] as const;
export type InstanceAction = (typeof INSTANCE_ACTIONS)[number];

/** Actions on the caller's own standing: what needs an identity, or a person. */
export const SELF_ACTIONS = ['browse', 'act-as-person'] as const;
export type SelfAction = (typeof SELF_ACTIONS)[number];

export type Action = ProductionAction | InstanceAction | SelfAction;

export type Principal = Role | 'admin' | 'person' | 'api-key';

/** What an action is done to. */
export type Resource =
  | { kind: 'production'; productionId: string; /** what the caller named, for NOT_FOUND */ what?: string }
  | { kind: 'instance' }
  | { kind: 'self' };

export type ResourceKind = Resource['kind'];

export const production = (productionId: string, what?: string): Resource =>
  what === undefined ? { kind: 'production', productionId } : { kind: 'production', productionId, what };
export const INSTANCE: Resource = Object.freeze({ kind: 'instance' });
export const SELF: Resource = Object.freeze({ kind: 'self' });

const MEMBERS: readonly Principal[] = ['owner', 'coordinator', 'editor', 'vendor'];
const MANAGERS: readonly Principal[] = ['owner', 'coordinator'];

/**
 * THE policy: resource kind × action → the principals allowed. In a production an admin counts
 * as its owner; nothing else is implied (no role hierarchy outside this table).
 */
export const POLICY: {
  production: Record<ProductionAction, readonly Principal[]>;
  instance: Record<InstanceAction, readonly Principal[]>;
  self: Record<SelfAction, readonly Principal[]>;
} = {
  production: {
    /** See the production, its rolls, clips, renditions, tasks and manifests; download proxies. */
    read: MEMBERS,
    /** Export ALE/CSV, download a roll's proxies as a zip. */
    export: MEMBERS,
    /** See the members and the audit trail. */
    oversee: MANAGERS,
    /** Create rolls, upload, import, reprocess, cancel tasks, delete clips. */
    ingest: MANAGERS,
    /** Change proxy profiles, colour pipeline and look. */
    configure: MANAGERS,
    /** Add and remove members, create and revoke API keys. */
    administer: ['owner'],
  },
  instance: {
    /** Open, change and close import roots. */
    'manage-import-roots': ['admin'],
  },
  self: {
    /** List one's productions, look objects up by id. */
    browse: ['person', 'api-key'],
    /** Create productions and keys, sign out: people only, never keys. */
    'act-as-person': ['person'],
  },
};

export type Refusal = 'UNAUTHENTICATED' | 'NOT_FOUND' | 'FORBIDDEN';

export type Decision =
  { allowed: true } | { allowed: false; code: Refusal; message: string; requiredRole?: Role };

const ALLOWED: Decision = Object.freeze({ allowed: true });

/** Pure: the principals the caller is, in the given production (if any). */
export function principalsOf(access: Access, productionId?: string): Principal[] {
  const principals: Principal[] = [];
  if (access.userId !== undefined) principals.push('person');
  if (access.apiKeyId !== undefined) principals.push('api-key');
  if (access.admin) principals.push('admin');
  const role = productionId === undefined ? undefined : roleIn(access, productionId);
  if (role) principals.push(role);
  return principals;
}

/** Pure: the least role of the table allowed to do `action` in a production. */
export function leastRole(action: ProductionAction): Role {
  const allowed = POLICY.production[action];
  return [...ROLES].reverse().find((role) => allowed.includes(role)) ?? 'owner';
}

function allowedFor(action: Action, kind: ResourceKind): readonly Principal[] | undefined {
  return (POLICY[kind] as Record<string, readonly Principal[]>)[action];
}

/**
 * Pure: may the caller do `action` to `resource`? A refusal says UNAUTHENTICATED to an
 * anonymous caller; NOT_FOUND to one who cannot even read the production (ids of other
 * productions reveal nothing); FORBIDDEN naming the role needed to a reader lacking it.
 */
export function decide(access: Access, action: Action, resource: Resource): Decision {
  const allowed = allowedFor(action, resource.kind);
  if (!allowed) throw new Error(`The policy has no action "${action}" for ${resource.kind} resources.`);
  const signedIn = access.userId !== undefined || access.apiKeyId !== undefined;
  if (!signedIn) {
    return { allowed: false, code: 'UNAUTHENTICATED', message: 'Sign in, or send an API key, to do this.' };
  }
  const productionId = resource.kind === 'production' ? resource.productionId : undefined;
  const principals = principalsOf(access, productionId);
  if (principals.some((p) => allowed.includes(p))) return ALLOWED;
  if (resource.kind === 'production') {
    const role = roleIn(access, resource.productionId);
    if (!role || !POLICY.production.read.includes(role)) {
      return {
        allowed: false,
        code: 'NOT_FOUND',
        message: `No ${resource.what ?? 'production'} with that id.`,
      };
    }
    const needed = leastRole(action as ProductionAction);
    return {
      allowed: false,
      code: 'FORBIDDEN',
      message: `This needs the ${needed} role (or higher) in the production; you are ${role}.`,
      requiredRole: needed,
    };
  }
  if (allowed.includes('person') && access.userId === undefined) {
    return { allowed: false, code: 'FORBIDDEN', message: 'API keys cannot do this; sign in as a person.' };
  }
  if (resource.kind === 'instance') {
    if (access.userId === undefined) {
      return { allowed: false, code: 'FORBIDDEN', message: 'API keys cannot do this; sign in as a person.' };
    }
    return {
      allowed: false,
      code: 'FORBIDDEN',
      message: 'Only an instance administrator manages import roots.',
    };
  }
  return { allowed: false, code: 'FORBIDDEN', message: 'You may not do this.' };
}

/** Pure: whether `decide` allows it. */
export function allows(access: Access, action: Action, resource: Resource): boolean {
  return decide(access, action, resource).allowed;
}

/** Pure: the productions the caller can read; `all` for an admin. */
export function readableProductions(access: Access): 'all' | string[] {
  if (access.admin) return 'all';
  return [...access.roles].filter(([, role]) => POLICY.production.read.includes(role)).map(([id]) => id);
}
