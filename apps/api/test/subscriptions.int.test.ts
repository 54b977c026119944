/**
 * Subscriptions fed by NOTIFY rushes_events: the events a worker sends reach exactly the
 * subscribers allowed to see them, with the clip or roll state read once per event.
 */
import { EVENTS_CHANNEL, type StatusEvent } from '@rushes/schema/events';
import { productionMembers, tasks } from '@rushes/schema/tables';
import { eq } from 'drizzle-orm';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { toGlobalId } from '../src/auth/ids.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { seedRoll } from './support/seed.ts';

let api: TestApi;
let owner: string;
let editor: string;
const seeded: Record<'alpha' | 'bravo', Awaited<ReturnType<typeof seedRoll>>> = {} as never;
const clients: Client[] = [];

async function production(code: string): Promise<string> {
  const { body } = await api.graphql(
    'mutation($input: CreateProductionInput!) { createProduction(input: $input) { id } }',
    { input: { name: code, code } },
    owner,
  );
  return Buffer.from(body.data.createProduction.id, 'base64url').toString().split(':')[1]!;
}

beforeAll(async () => {
  api = await startTestApi();
  owner = await api.signUp('owner@example.com');
  const alpha = await production('ALPHA');
  const bravo = await production('BRAVO');
  const clip = { reel: 'A001', startTimecode: '01:00:00:00', startFrame: 86400, durationFrames: 48 };
  seeded.alpha = await seedRoll(api.resources.db, api.store, alpha, 'A001', [{ fileName: 'A.mov', ...clip }]);
  seeded.bravo = await seedRoll(api.resources.db, api.store, bravo, 'B001', [{ fileName: 'B.mov', ...clip }]);
  const added = await api.graphql(
    'mutation($p: ID!) { addMember(productionId: $p, email: "editor@example.com", role: editor) { invitation } }',
    { p: toGlobalId('Production', alpha) },
    owner,
  );
  editor = await api.signUp('editor@example.com', added.body.data.addMember.invitation);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await api?.stop();
});

function connect(token: string): Client {
  const client = createClient({
    url: api.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  clients.push(client);
  return client;
}

/** Collects what a subscription delivers. */
function collect(client: Client, query: string, variables: Record<string, unknown>) {
  const received: any[] = [];
  const errors: unknown[] = [];
  client.subscribe(
    { query, variables },
    { next: (value) => received.push(value), error: (e) => errors.push(e), complete: () => {} },
  );
  return { received, errors };
}

async function notify(event: StatusEvent) {
  await api.resources.pool.query('select pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(event)]);
}

function taskEvent(which: 'alpha' | 'bravo', progress: number): StatusEvent {
  const { roll, clips } = seeded[which];
  return {
    type: 'task.updated',
    productionId: roll.productionId,
    rollId: roll.id,
    clipId: clips[0]!.id,
    taskId: '00000000-0000-4000-8000-000000000001',
    kind: 'review',
    state: 'running',
    progress,
  };
}

async function until(check: () => boolean, what: string, ms = 5000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('subscriptions', () => {
  it('productionActivity delivers its production’s events and never another’s', async () => {
    const { received } = collect(
      connect(editor),
      'subscription($p: ID!) { productionActivity(productionId: $p) { type kind taskState progress clipId } }',
      { p: toGlobalId('Production', seeded.alpha.roll.productionId) },
    );
    await until(() => api.events.subscriberCount >= 1, 'the subscription');
    await notify(taskEvent('bravo', 0.9));
    await notify(taskEvent('alpha', 0.25));
    // Events reach a subscription in the order they were sent: once alpha's is here, bravo's (sent
    // before it) has already been let through or dropped.
    await until(() => received.length >= 1, 'the alpha event');
    expect(received).toEqual([
      {
        data: {
          productionActivity: {
            type: 'task.updated',
            kind: 'review',
            taskState: 'running',
            progress: 0.25,
            clipId: toGlobalId('Clip', seeded.alpha.clips[0]!.id),
          },
        },
      },
    ]);
  });

  it('clipUpdated and rollProgress deliver the clip and the roll’s counts as they are now', async () => {
    const client = connect(owner);
    const clip = collect(
      client,
      'subscription($c: ID!) { clipUpdated(clipId: $c) { fileName tasks { kind state } } }',
      {
        c: toGlobalId('Clip', seeded.alpha.clips[0]!.id),
      },
    );
    const roll = collect(
      client,
      'subscription($r: ID!) { rollProgress(rollId: $r) { state counts { total ready fraction } } }',
      {
        r: toGlobalId('Roll', seeded.alpha.roll.id),
      },
    );
    await until(() => api.events.subscriberCount >= 3, 'both subscriptions');
    await api.resources.db
      .update(tasks)
      .set({ state: 'running' })
      .where(eq(tasks.clipId, seeded.alpha.clips[0]!.id));
    await notify(taskEvent('alpha', 0.5));
    await until(() => clip.received.length >= 1 && roll.received.length >= 1, 'both events');
    expect(clip.received[0].data.clipUpdated).toEqual({
      fileName: 'A.mov',
      tasks: [
        { kind: 'verify', state: 'running' },
        { kind: 'probe', state: 'running' },
        { kind: 'review', state: 'running' },
      ],
    });
    expect(roll.received[0].data.rollProgress).toEqual({
      state: 'ready',
      counts: { total: 1, ready: 1, fraction: 1 },
    });
  });

  it('a member removed while subscribed stops receiving within seconds', async () => {
    const stranger = await (async () => {
      const added = await api.graphql(
        'mutation($p: ID!) { addMember(productionId: $p, email: "temp@example.com", role: vendor) { invitation } }',
        { p: toGlobalId('Production', seeded.alpha.roll.productionId) },
        owner,
      );
      return api.signUp('temp@example.com', added.body.data.addMember.invitation);
    })();
    const before = api.events.subscriberCount;
    const { received } = collect(
      connect(stranger),
      'subscription($p: ID!) { productionActivity(productionId: $p) { progress } }',
      {
        p: toGlobalId('Production', seeded.alpha.roll.productionId),
      },
    );
    await until(() => api.events.subscriberCount > before, 'the subscription');
    await notify(taskEvent('alpha', 0.1));
    await until(() => received.length === 1, 'the first event');
    await api.resources.db.delete(productionMembers).where(eq(productionMembers.role, 'vendor'));
    await new Promise((r) => setTimeout(r, 5_200));
    await notify(taskEvent('alpha', 0.2));
    await new Promise((r) => setTimeout(r, 300));
    expect(received.map((r) => r.data.productionActivity.progress)).toEqual([0.1]);
  });

  it('a connection with a bad token is closed at once', async () => {
    const client = createClient({
      url: api.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: 'Bearer rs_session_expired' },
      retryAttempts: 0,
    });
    clients.push(client);
    const outcome = await new Promise<any>((resolve) => {
      client.subscribe({ query: '{ health { ok } }' }, { next: resolve, error: resolve, complete: () => {} });
    });
    expect(outcome.code).toBe(4403);
  });
});
