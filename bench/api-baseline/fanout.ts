/**
 * The baseline of the subscription fan-out bench (../api-browse.bench.ts): a bare `graphql-ws`
 * server — a `ws` WebSocketServer with graphql-ws's `useServer`, graphql-js executing a
 * hand-written schema of one subscription, `productionActivity(productionId)` — fed by the same
 * `LISTEN rushes_events` (one connection, each payload parsed once, handed to every subscriber
 * through Node's own `events.on` iterators). The same auth as the rushes api, checked once: the
 * API key of the connection params when the socket connects (a bad one closes it), the
 * production among the key's when the subscription starts. Nothing else: no rate limits, no
 * logs, no metrics, no re-checks of the key while the subscription lasts.
 */
import { EventEmitter, on } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENTS_CHANNEL } from '@rushes/schema/events';
import { buildSchema, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { accessOf, toGlobalId, type Access } from './server.ts';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    ok: Boolean!
  }

  "Something happened in a production: a task changed or the production was set up."
  type ActivityEvent {
    type: String!
    productionId: ID!
    rollId: ID
    clipId: ID
    taskId: ID
    kind: String
    taskState: String
    progress: Float
    at: String!
  }

  type Subscription {
    productionActivity(productionId: ID!): ActivityEvent!
  }
`);

/** A NOTIFY payload as the workers send it (only the fields the subscription reads). */
interface StatusEvent {
  type: string;
  productionId: string;
  rollId?: string;
  clipId?: string;
  taskId?: string;
  kind?: string;
  state?: string;
  progress?: number;
}

export interface FanoutBaseline {
  /** The WebSocket endpoint, e.g. ws://127.0.0.1:41234/graphql. */
  url: string;
  /** Subscriptions running now. */
  subscriberCount(): number;
  stop(): Promise<void>;
}

export async function startFanoutBaseline(databaseUrl: string): Promise<FanoutBaseline> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const hub = new EventEmitter();
  // One listener per subscription: a thousand is no leak here.
  hub.setMaxListeners(0);
  const listen = new pg.Client({ connectionString: databaseUrl });
  listen.on('notification', (message) => {
    if (!message.payload) return;
    try {
      hub.emit('event', JSON.parse(message.payload) as StatusEvent);
    } catch {
      // Not one of our events.
    }
  });
  await listen.connect();
  await listen.query(`LISTEN ${EVENTS_CHANNEL}`);

  /** The subscription's source: the hub's events of the production, as its ActivityEvents. */
  function productionActivity(
    args: { productionId: string },
    ctx: { access: Access },
  ): AsyncIterableIterator<{ productionActivity: Record<string, unknown> }> {
    const [type, id] = Buffer.from(args.productionId, 'base64url').toString().split(':');
    if (type !== 'Production' || !id || !ctx.access.productionIds.includes(id)) {
      throw new GraphQLError('No production with this id.', { extensions: { code: 'NOT_FOUND' } });
    }
    // A plain iterator rather than an async generator: a generator waiting for the next event
    // cannot be returned, so a closed subscription would keep its listener until one came.
    const events = on(hub, 'event') as AsyncIterableIterator<[StatusEvent]>;
    return {
      async next() {
        for (;;) {
          const result = await events.next();
          if (result.done) return result;
          const [event] = result.value;
          if (event.productionId !== id) continue;
          const task = event.type === 'task.updated';
          const activity = {
            type: event.type,
            productionId: args.productionId,
            rollId: task && event.rollId ? toGlobalId('Roll', event.rollId) : null,
            clipId: task && event.clipId ? toGlobalId('Clip', event.clipId) : null,
            taskId: task && event.taskId ? toGlobalId('Task', event.taskId) : null,
            kind: event.kind ?? null,
            taskState: event.state ?? null,
            progress: event.progress ?? null,
            at: new Date().toISOString(),
          };
          return { value: { productionActivity: activity }, done: false };
        }
      },
      async return() {
        await events.return?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  const httpServer = createServer();
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const cleanup = useServer<{ authorization?: string }, { access: Access }>(
    {
      schema,
      roots: { subscription: { productionActivity } },
      onConnect: async (ctx) => {
        try {
          ctx.extra.access = await accessOf(pool, ctx.connectionParams?.authorization);
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) => ({ access: ctx.extra.access ?? { productionIds: [] } }),
    },
    wsServer,
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    subscriberCount: () => hub.listenerCount('event'),
    async stop() {
      await cleanup.dispose();
      await new Promise((resolve) => httpServer.close(resolve));
      await listen.end();
      await pool.end();
    },
  };
}
