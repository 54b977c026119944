import {
  GraphQLFloat,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  type ExecutionResult,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Access } from '../src/auth/access.ts';
import { EventHub, type HubEvent } from '../src/events/hub.ts';
import { sharedSubscribe } from '../src/graphql/shared-subscribe.ts';

const P = '11111111-1111-4111-8111-111111111111';

/** A schema whose one subscription streams the hub's events, counting how often its field runs. */
function setup() {
  const hub = new EventHub('postgres://unused', { warn() {} } as never);
  let runs = 0;
  const Event = new GraphQLObjectType({
    name: 'Event',
    fields: {
      progress: {
        type: GraphQLFloat,
        resolve: (item: HubEvent) => {
          runs += 1;
          return item.event.type === 'task.updated' ? item.event.progress : null;
        },
      },
      label: { type: GraphQLString, args: { prefix: { type: GraphQLString } }, resolve: (_i, a) => a.prefix },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        events: {
          type: Event,
          subscribe: () => hub.subscribe(() => true),
          resolve: (item: HubEvent) => item,
        },
      },
    }),
  });
  const event = (progress: number) => ({
    type: 'task.updated' as const,
    productionId: P,
    rollId: P,
    clipId: P,
    taskId: P,
    kind: 'review',
    state: 'running' as const,
    progress,
  });
  const subscribe = async (query: string, access: Access, variables: Record<string, unknown> = {}) => {
    const stream = await sharedSubscribe({
      schema,
      document: parse(query),
      variableValues: variables,
      contextValue: { access },
    });
    if (!(Symbol.asyncIterator in stream)) throw new Error(JSON.stringify(stream));
    return stream;
  };
  return { hub, event, subscribe, runs: () => runs };
}

const vendor: Access = { admin: false, roles: new Map([[P, 'vendor']]) };
const owner: Access = { admin: false, roles: new Map([[P, 'owner']]) };

describe('shared subscription results', () => {
  it('works an event out once for subscribers of the same operation and role, apart otherwise', async () => {
    const { hub, event, subscribe, runs } = setup();
    const query = 'subscription { events { progress } }';
    const streams = [
      await subscribe(query, vendor),
      await subscribe(query, vendor),
      await subscribe(query, owner),
      await subscribe('subscription { events { progress label(prefix: "x") } }', vendor),
    ];
    const next = streams.map((s) => s.next());
    hub.publish(event(0.5));
    const results = (await Promise.all(next)).map((r) => r.value as ExecutionResult);
    expect(results.map((r) => r.data)).toEqual([
      { events: { progress: 0.5 } },
      { events: { progress: 0.5 } },
      { events: { progress: 0.5 } },
      { events: { progress: 0.5, label: 'x' } },
    ]);
    // One run for the two vendors, one for the owner, one for the other operation.
    expect(runs()).toBe(3);
    // Ending a stream while it waits for an event ends it at once and leaves the hub.
    const waiting = streams[0]!.next();
    await streams[0]!.return(undefined);
    expect((await waiting).done).toBe(true);
    for (const s of streams.slice(1)) await s.return(undefined);
    expect(hub.subscriberCount).toBe(0);
  });

  it('variables are part of the operation', async () => {
    const { hub, event, subscribe } = setup();
    const query = 'subscription($p: String) { events { label(prefix: $p) } }';
    const a = await subscribe(query, vendor, { p: 'a' });
    const b = await subscribe(query, vendor, { p: 'b' });
    const next = [a.next(), b.next()];
    hub.publish(event(1));
    const [ra, rb] = await Promise.all(next);
    expect((ra!.value as ExecutionResult).data).toEqual({ events: { label: 'a' } });
    expect((rb!.value as ExecutionResult).data).toEqual({ events: { label: 'b' } });
  });
});
