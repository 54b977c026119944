/**
 * GET /metrics (Prometheus text): every line parses; the queue counts come from pgboss.job (no
 * worker runs here, so pg-boss's cached counts would stay 0); GraphQL operations are timed by
 * transport, type and outcome; open subscriptions are counted up and down.
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApi, type TestApi } from './support/api.ts';
import { parseMetrics } from '../../../test/support/metrics.ts';

let api: TestApi;
let owner: string;
beforeAll(async () => {
  api = await startTestApi();
  owner = await api.signUp('owner@example.com');
});
afterAll(() => api?.stop());

async function scrape(): Promise<Map<string, number>> {
  const response = await fetch(`${api.origin}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return parseMetrics(await response.text());
}

const http = (type: string, outcome: string) =>
  `rushes_graphql_operation_duration_seconds_count{transport="http",type="${type}",outcome="${outcome}"}`;
const setupWaiting = 'rushes_queue_jobs{queue="production.setup",state="waiting"}';

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /metrics', () => {
  it('counts queued jobs from pgboss.job and times GraphQL operations', async () => {
    const before = await scrape();
    expect(before.get(setupWaiting)).toBe(0);
    expect(before.get('rushes_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(before.has('rushes_process_cpu_seconds_total')).toBe(true);

    // Creating a production queues its production.setup job; no worker takes it here.
    const created = await api.graphql(
      'mutation($input: CreateProductionInput!) { createProduction(input: $input) { id } }',
      { input: { name: 'Metrics', code: 'MET' } },
      owner,
    );
    expect(created.body.errors).toBeUndefined();
    const invalid = await api.graphql('{ noSuchField }', {}, owner);
    expect(invalid.status).toBe(400);

    const after = await scrape();
    expect(after.get(setupWaiting)).toBe(1);
    expect(after.get(http('mutation', 'ok'))).toBe((before.get(http('mutation', 'ok')) ?? 0) + 1);
    expect(after.get(http('unknown', 'error'))).toBe((before.get(http('unknown', 'error')) ?? 0) + 1);
  });

  it('counts open subscriptions', async () => {
    const productionId = (
      await api.graphql(
        'mutation($input: CreateProductionInput!) { createProduction(input: $input) { id } }',
        { input: { name: 'Subs', code: 'SUB' } },
        owner,
      )
    ).body.data.createProduction.id as string;
    expect((await scrape()).get('rushes_graphql_subscriptions')).toBe(0);
    const client = createClient({
      url: api.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${owner}` },
    });
    try {
      const unsubscribe = client.subscribe(
        {
          query: 'subscription($p: ID!) { productionActivity(productionId: $p) { type } }',
          variables: { p: productionId },
        },
        { next: () => {}, error: () => {}, complete: () => {} },
      );
      await until('the subscription to be counted', async () =>
        (await scrape()).get('rushes_graphql_subscriptions') === 1 ? true : undefined,
      );
      // Counted down in graphql-ws's onComplete, once the client completes it (closed sockets:
      // subscription-cleanup.int.test.ts).
      unsubscribe();
      await until('the subscription to be counted down', async () =>
        (await scrape()).get('rushes_graphql_subscriptions') === 0 ? true : undefined,
      );
      const ended = await scrape();
      expect(
        ended.get(
          'rushes_graphql_operation_duration_seconds_count{transport="ws",type="subscription",outcome="ok"}',
        ),
      ).toBe(1);
    } finally {
      await client.dispose();
    }
  });
});
