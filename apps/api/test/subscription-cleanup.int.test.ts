/**
 * A subscription ends on the server when its client ends it: the EventHub listener is removed
 * and graphql-ws's onComplete runs (the open-subscriptions gauge counts down), whether the client
 * completes the subscription, closes its socket, or the socket drops — with no event having
 * arrived (the subscription waiting on the hub) and after one has.
 */
import { EVENTS_CHANNEL, type StatusEvent } from '@rushes/schema/events';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../../../test/support/wait.ts';
import { startTestApi, type TestApi } from './support/api.ts';

let api: TestApi;
let owner: string;
let productionId: string;
const clients: Client[] = [];

beforeAll(async () => {
  api = await startTestApi();
  owner = await api.signUp('owner@example.com');
  const { body } = await api.graphql(
    'mutation { createProduction(input: { name: "Cleanup", code: "CLEAN" }) { id } }',
    {},
    owner,
  );
  productionId = body.data.createProduction.id as string;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await api?.stop();
});

/** A graphql-ws client, and its current WebSocket (to drop it without a close handshake). */
function connect() {
  const state: { socket?: WebSocket } = {};
  const client = createClient({
    url: api.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${owner}` },
    retryAttempts: 0,
    lazy: true,
    on: { connected: (socket) => (state.socket = socket as WebSocket) },
  });
  clients.push(client);
  return { client, state };
}

/** The open-subscriptions gauge, as /metrics says it. */
async function openSubscriptions(): Promise<number> {
  const text = await (await fetch(`${api.origin}/metrics`)).text();
  const match = /^rushes_graphql_subscriptions (\S+)$/m.exec(text);
  if (!match) throw new Error('/metrics has no rushes_graphql_subscriptions sample');
  return Number(match[1]);
}

/**
 * Subscribes to the production's activity; resolves once the hub and the gauge count it (one
 * more than before: a subscription an earlier test leaked is not taken for this one).
 */
async function subscribe(client: Client) {
  const before = { listeners: api.events.subscriberCount, open: await openSubscriptions() };
  const received: unknown[] = [];
  const errors: unknown[] = [];
  const unsubscribe = client.subscribe(
    {
      query: 'subscription($p: ID!) { productionActivity(productionId: $p) { type } }',
      variables: { p: productionId },
    },
    {
      next: (value) => received.push(value),
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  await waitFor('the hub to count the subscription', async () =>
    api.events.subscriberCount === before.listeners + 1 ? true : undefined,
  );
  expect(await openSubscriptions()).toBe(before.open + 1);
  return { unsubscribe, received, errors };
}

async function notifyOnce(received: unknown[]) {
  const event: StatusEvent = {
    type: 'production.updated',
    productionId: Buffer.from(productionId, 'base64url').toString().split(':')[1]!,
    state: 'ready',
  };
  await api.resources.pool.query('select pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(event)]);
  await waitFor('the event', async () => (received.length === 1 ? true : undefined), 3_000);
}

/** Both signs that the server let go of every subscription, within a short wait. */
async function expectReleased() {
  await waitFor(
    'the hub listener to be removed',
    async () => (api.events.subscriberCount === 0 ? true : undefined),
    2_000,
  );
  await waitFor(
    'onComplete to count the subscription down',
    async () => ((await openSubscriptions()) === 0 ? true : undefined),
    2_000,
  );
}

describe('a subscription the client ends is released on the server', () => {
  it('starts with no listener and no open subscription', async () => {
    expect(api.events.subscriberCount).toBe(0);
    expect(await openSubscriptions()).toBe(0);
  });

  it('when the client completes it while it waits for an event', async () => {
    const { client } = connect();
    const subscription = await subscribe(client);
    subscription.unsubscribe();
    await expectReleased();
    expect(subscription.errors).toEqual([]);
    await client.dispose();
  });

  it('when the client completes it after an event arrived', async () => {
    const { client } = connect();
    const subscription = await subscribe(client);
    await notifyOnce(subscription.received);
    subscription.unsubscribe();
    await expectReleased();
    expect(subscription.errors).toEqual([]);
    await client.dispose();
  });

  it('when the client closes its WebSocket', async () => {
    const { client } = connect();
    await subscribe(client);
    await client.dispose();
    await expectReleased();
  });

  it('when the WebSocket drops without a close handshake', async () => {
    const { client, state } = connect();
    await subscribe(client);
    state.socket!.terminate();
    await expectReleased();
  });
});
