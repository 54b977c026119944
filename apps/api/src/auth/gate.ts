/**
 * The authorization gate: the one place requests meet the policy table (policy.ts).
 *
 * - `authorize(ctx, action, resource)` throws the caller's refusal; `permits` answers yes/no
 *   (for fields that say null rather than refuse); `readable` lists what a caller may read.
 * - Every root field (Query, Mutation, Subscription) and every field with its own resolver
 *   declares its gate with `@Gate(...)`; `applyGate` wraps those resolvers when the schema is
 *   built and refuses to build a schema with a field that declares none (`ungatedFields`).
 *   A rule checked on the parent (`from: 'parent'`), the instance or the caller runs before
 *   the resolver; a rule whose production comes from the arguments (`from: 'arguments'`) is
 *   checked by the resolver, and the gate makes sure it was: a field that answers without
 *   having asked fails as an internal error.
 * - Subscriptions are authorized when they start, and every event again (`authorizedEvents`).
 * - HTTP routes are listed in `ROUTES` with what guards each (public, GraphQL, or a signed link
 *   minted only by gated fields).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { StatusEvent } from '@rushes/schema/events';
import {
  defaultFieldResolver,
  GraphQLError,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { Extensions, getMetadataStorage } from 'type-graphql';
import type { Context } from '../context.ts';
import type { EventHub, HubEvent } from '../events/hub.ts';
import { ANONYMOUS, type Access } from './access.ts';
import {
  decide,
  INSTANCE,
  production,
  readableProductions,
  SELF,
  type Action,
  type Decision,
  type InstanceAction,
  type ProductionAction,
  type Resource,
  type SelfAction,
} from './policy.ts';

/** What the gate needs of a request. */
export type Caller = Pick<Context, 'access'>;

/** How a field is authorized. */
export type GateRule =
  /** Anyone, and why. */
  | { public: string }
  /** Computed from the parent object alone (no data of its own), which the gate already let through. */
  | { derived: string }
  /** `action` in the parent object's production, checked before the resolver; `null` answers null instead of refusing. */
  | { action: ProductionAction; from: 'parent'; otherwise?: 'null' }
  /** The resolver finds the production(s) from its arguments and asks the gate; the gate checks it asked. */
  | { action: Action; from: 'arguments' }
  /** An action on the instance, checked before the resolver. */
  | { action: InstanceAction; from: 'instance' }
  /** An action on the caller's own standing (signed in, a person), checked before the resolver. */
  | { action: SelfAction; from: 'self' };

/** The extensions key the rules are kept under in the schema. */
export const GATE = 'gate';

/** Declares a field's gate (on a @Query, @Mutation, @Subscription or @FieldResolver method). */
export function Gate(...rules: [GateRule, ...GateRule[]]): MethodDecorator & PropertyDecorator {
  return Extensions({ [GATE]: rules });
}

/** The field's rules, as declared; undefined when it declared none. */
export function gateOf(field: GraphQLField<unknown, unknown>): readonly GateRule[] | undefined {
  return field.extensions[GATE] as readonly GateRule[] | undefined;
}

/** Fields answering inside this store are checked for having asked the gate. */
const asked = new AsyncLocalStorage<{ asked: boolean }>();

function record(): void {
  const store = asked.getStore();
  if (store) store.asked = true;
}

export function refusal(decision: Exclude<Decision, { allowed: true }>): GraphQLError {
  return new GraphQLError(decision.message, {
    extensions: {
      code: decision.code,
      ...(decision.requiredRole ? { requiredRole: decision.requiredRole } : {}),
    },
  });
}

/** Throws the caller's refusal (UNAUTHENTICATED, NOT_FOUND or FORBIDDEN) unless the policy allows it. */
export function authorize(ctx: Caller, action: Action, resource: Resource): void {
  record();
  const decision = decide(ctx.access, action, resource);
  if (!decision.allowed) throw refusal(decision);
}

/** Whether the policy allows it (for fields that answer null rather than refuse). */
export function permits(ctx: Caller, action: Action, resource: Resource): boolean {
  record();
  return decide(ctx.access, action, resource).allowed;
}

/** The productions the caller may read (`all` for an admin); UNAUTHENTICATED when anonymous. */
export function readable(ctx: Caller): 'all' | string[] {
  authorize(ctx, 'browse', SELF);
  return readableProductions(ctx.access);
}

/** The person calling (their user id); FORBIDDEN for an API key, UNAUTHENTICATED when anonymous. */
export function person(ctx: Caller): string {
  authorize(ctx, 'act-as-person', SELF);
  return ctx.access.userId!;
}

/** NOT_FOUND for something that does not exist, said exactly as for one the caller cannot read. */
export function notFound(what: string): GraphQLError {
  return new GraphQLError(`No ${what} with that id.`, { extensions: { code: 'NOT_FOUND' } });
}

/** The production an object of ours belongs to: a production's own id, or its productionId. */
function productionOf(root: unknown, field: string): string {
  const object = root as { nodeType?: string; dbId?: string; productionId?: string } | null;
  const id = object?.nodeType === 'Production' ? object.dbId : object?.productionId;
  if (typeof id !== 'string')
    throw new Error(`${field}: its parent names no production to authorize against.`);
  return id;
}

function resourceOf(rule: Extract<GateRule, { from: string }>, root: unknown, field: string): Resource {
  if (rule.from === 'parent') return production(productionOf(root, field));
  return rule.from === 'instance' ? INSTANCE : SELF;
}

/** The resolver with its gate in front: the rules checked before it, and that it asked when it must. */
function gated<T extends GraphQLFieldResolver<unknown, Context>>(
  name: string,
  rules: readonly GateRule[],
  resolve: T,
): T {
  const before = rules.filter(
    (r): r is Extract<GateRule, { from: 'parent' | 'instance' | 'self' }> =>
      'from' in r && r.from !== 'arguments',
  );
  const mustAsk = rules.some((r) => 'from' in r && r.from === 'arguments');
  if (before.length === 0 && !mustAsk) return resolve;
  return ((root, args, ctx, info) => {
    for (const rule of before) {
      const decision = decide(ctx.access, rule.action, resourceOf(rule, root, name));
      if (!decision.allowed) {
        if ('otherwise' in rule && rule.otherwise === 'null') return null;
        throw refusal(decision);
      }
    }
    if (!mustAsk) return resolve(root, args, ctx, info);
    const store = { asked: false };
    return asked.run(store, async () => {
      const value: unknown = await resolve(root, args, ctx, info);
      if (!store.asked && value !== null && value !== undefined)
        throw new Error(`${name} answered without asking the authorization gate.`);
      return value;
    });
  }) as T;
}

/** Type.field of every root field and every field with a resolver of its own (type-graphql's @FieldResolver). */
export function resolvedFields(schema: GraphQLSchema): string[] {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap(
    (type) => (type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : []),
  );
  const storage = getMetadataStorage();
  const objectName = (target: unknown) =>
    storage.objectTypes.find((o) => o.target === target)?.name ??
    storage.interfaceTypes.find((i) => i.target === target)?.name;
  const own = storage.fieldResolvers.flatMap((resolver) => {
    const target = resolver.getObjectType?.();
    const name = target ? objectName(target) : undefined;
    return name ? [`${name}.${resolver.schemaName}`] : [];
  });
  return [...new Set([...roots, ...own])].filter((key) => {
    const [type, field] = key.split('.') as [string, string];
    const object = schema.getType(type);
    return isObjectType(object) && object.getFields()[field] !== undefined;
  });
}

/** The fields of `resolvedFields` that declare no gate. */
export function ungatedFields(schema: GraphQLSchema): string[] {
  return resolvedFields(schema).filter((key) => {
    const [type, field] = key.split('.') as [string, string];
    const object = schema.getType(type);
    return !isObjectType(object) || !gateOf(object.getFields()[field]!);
  });
}

/**
 * Puts the gate in front of every gated field of the schema (subscriptions: in front of their
 * `subscribe`); refuses a schema with a field that declares no gate, naming it.
 */
export function applyGate(schema: GraphQLSchema): GraphQLSchema {
  const missing = ungatedFields(schema);
  if (missing.length > 0)
    throw new Error(`These fields declare no authorization gate (@Gate): ${missing.join(', ')}.`);
  const subscription = schema.getSubscriptionType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const rules = gateOf(field);
      if (!rules) continue;
      const name = `${type.name}.${field.name}`;
      if (type === subscription && field.subscribe) field.subscribe = gated(name, rules, field.subscribe);
      else field.resolve = gated(name, rules, field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}

/** How long a subscription trusts the access it read before reading it again. */
export const ACCESS_TTL_MS = 5_000;

/** The caller's access, re-read from the token at most every ACCESS_TTL_MS (nothing, once it fails). */
function liveAccess(ctx: Pick<Context, 'access' | 'reauthorize'>): () => Promise<Access> {
  let access = ctx.access;
  let readAt = Date.now();
  return async () => {
    if (Date.now() - readAt > ACCESS_TTL_MS) {
      readAt = Date.now();
      access = await ctx.reauthorize().catch(() => ANONYMOUS);
    }
    return access;
  };
}

/**
 * The hub's events that pass `accept` and that the caller may still `read` when each arrives:
 * a member removed while subscribed stops receiving within ACCESS_TTL_MS.
 *
 * An iterator written out rather than an `async function*`: a generator waiting for the hub's
 * next event queues `return()` until that event arrives, so a subscription the client completed
 * (or whose socket closed) kept its hub listener and graphql-ws never reached `onComplete`.
 * Here `return()` and `throw()` go straight to the hub's iterator, which removes the listener and
 * ends a pending `next()` at once.
 */
export function authorizedEvents(
  ctx: Pick<Context, 'access' | 'reauthorize' | 'deps'> & { deps: { events: EventHub } },
  accept: (event: StatusEvent) => boolean,
): AsyncIterableIterator<HubEvent> {
  record();
  const current = liveAccess(ctx);
  const source = ctx.deps.events.subscribe(accept);
  const ended = (): Promise<IteratorResult<HubEvent>> => Promise.resolve({ value: undefined, done: true });
  return {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done) return result;
        const allowed = decide(await current(), 'read', production(result.value.event.productionId)).allowed;
        if (allowed) return result;
      }
    },
    return: () => source.return?.() ?? ended(),
    throw: (error) => source.throw?.(error) ?? Promise.reject(error as Error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** What guards an HTTP route. */
export type RouteGate =
  | { public: string }
  /** GraphQL: every field is gated (`applyGate`). */
  | { graphql: true }
  /** A signed, expiring link, minted only by these gated fields, each needing `action`. */
  | { signedLink: 'blob' | 'export'; mintedBy: Record<string, ProductionAction> };

export interface RouteEntry {
  methods: readonly string[];
  /** As mounted in Express (a string, or a RegExp's `String()`). */
  path: string;
  /** A path the route answers. */
  example: string;
  gate: RouteGate;
}

/** Every HTTP route of the api and its guard; a route mounted without an entry fails the gate's test. */
export function routes(exportRoute: RegExp): readonly RouteEntry[] {
  return [
    { methods: ['*'], path: '/graphql', example: '/graphql', gate: { graphql: true } },
    {
      methods: ['GET'],
      path: '/graphql',
      example: '/graphql',
      gate: { public: 'the GraphQL IDE page: no data' },
    },
    {
      methods: ['GET'],
      path: '/graphql-ide/:asset',
      example: '/graphql-ide/graphiql.js',
      gate: { public: 'the IDE’s scripts and styles' },
    },
    {
      methods: ['GET'],
      path: '/healthz',
      example: '/healthz',
      gate: { public: 'liveness for load balancers: no data' },
    },
    {
      methods: ['GET'],
      path: '/readyz',
      example: '/readyz',
      gate: { public: 'readiness for orchestrators: which dependency is down, no data' },
    },
    {
      methods: ['GET'],
      path: '/metrics',
      example: '/metrics',
      gate: { public: 'Prometheus metrics: counts and timings, no data' },
    },
    {
      methods: ['*'],
      path: '/blobs/*path',
      example: '/blobs/productions/p/rolls/r/proxy.mp4',
      gate: {
        signedLink: 'blob',
        mintedBy: { 'Rendition.downloadUrl': 'read', 'Mutation.beginUpload': 'ingest' },
      },
    },
    {
      methods: ['GET'],
      path: String(exportRoute),
      example: '/exports/rolls/00000000-0000-4000-8000-000000000000.ale',
      gate: {
        signedLink: 'export',
        mintedBy: {
          'Roll.aleUrl': 'export',
          'Roll.aleExports': 'export',
          'Roll.csvUrl': 'export',
          'Roll.proxiesZipUrl': 'export',
        },
      },
    },
  ];
}
