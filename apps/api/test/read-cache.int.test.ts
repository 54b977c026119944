/**
 * The read cache (cached-reads.ts) against a real PostgreSQL and its change notifications: a
 * query asked again is answered without SQL, byte for byte; a write through this api is seen by
 * the very next request; a write by another connection once its notification arrives; a change
 * to another production keeps the answer; answers are never shared between callers; errors are
 * not kept; a revoked key is refused; nothing is served while notifications are not heard.
 */
import type { Change } from '@rushes/schema/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/auth/ids.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { seedRoll } from './support/seed.ts';

let api: TestApi;
let owner: string;
let productionId: string;
let otherProductionId: string;
let rollId: string;

const BROWSE = `query Browse($roll: ID!) {
  node(id: $roll) { ... on Roll { name clips(first: 10) { nodes { fileName reel } } } }
}`;

async function createProduction(name: string, code: string): Promise<string> {
  const { body } = await api.graphql(
    `mutation { createProduction(input: { name: "${name}", code: "${code}" }) { id } }`,
    {},
    owner,
  );
  return Buffer.from(body.data.createProduction.id, 'base64url').toString().split(':')[1]!;
}

/** One POST, as the raw response (bytes and headers). */
async function post(query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** SQL statements the api's pool ran while `work` ran. */
async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
  const before = api.queries.length;
  await work();
  return api.queries.length - before;
}

/** Resolves with the next change notification the api hears that `match` accepts. */
function nextChange(match: (change: Change) => boolean): Promise<Change> {
  return new Promise((resolve) => {
    const stop = api.events.onChange({
      change: (change) => {
        if (!match(change)) return;
        stop();
        resolve(change);
      },
      live: () => {},
    });
  });
}

/** A vendor's API key for one production: its secret and database id. */
async function vendorKey(production: string): Promise<{ secret: string; id: string }> {
  const { body } = await api.graphql(
    'mutation($p: [ID!]!) { createApiKey(name: "vendor", role: vendor, productionIds: $p) { secret apiKey { id } } }',
    { p: [toGlobalId('Production', production)] },
    owner,
  );
  const created = body.data.createApiKey;
  return {
    secret: created.secret,
    id: Buffer.from(created.apiKey.id, 'base64url').toString().split(':')[1]!,
  };
}

const browse = (token = owner) => post(BROWSE, { roll: toGlobalId('Roll', rollId) }, token);

beforeAll(async () => {
  api = await startTestApi();
  owner = await api.signUp('owner@example.com');
  productionId = await createProduction('Cached', 'CACHED');
  otherProductionId = await createProduction('Other', 'OTHER');
  const roll = await seedRoll(api.resources.db, api.store, productionId, 'A001', [
    {
      fileName: 'A001C001.mov',
      reel: 'A001',
      startTimecode: '10:00:00:00',
      startFrame: 864_000,
      durationFrames: 10,
    },
  ]);
  rollId = roll.roll.id;
});

afterAll(async () => {
  await api?.stop();
});

describe('read cache', () => {
  it('answers a query asked again without SQL, with the same bytes and headers', async () => {
    const first = await browse();
    expect(JSON.parse(first.text).data.node.clips.nodes).toEqual([
      { fileName: 'A001C001.mov', reel: 'A001' },
    ]);
    let second!: Awaited<ReturnType<typeof browse>>;
    expect(await statementsDuring(async () => (second = await browse()))).toBe(0);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(second.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    const metrics = await (await fetch(`${api.origin}/metrics`)).text();
    expect(metrics).toMatch(/rushes_graphql_response_cache_total\{result="hit"\} [1-9]/);
  });

  it('a write by another connection is seen once its notification arrives', async () => {
    await browse();
    const heard = nextChange((c) => c.kind === 'productions' && c.ids.includes(productionId));
    await api.resources.pool.query(`update clips set reel = 'B002' where production_id = $1`, [productionId]);
    await heard;
    const after = await browse();
    expect(JSON.parse(after.text).data.node.clips.nodes[0].reel).toBe('B002');
  });

  it('a change to a production the caller cannot read keeps the answer; one it can read drops it', async () => {
    // The owner reads both productions; a vendor's key only the first.
    const vendor = (await vendorKey(productionId)).secret;
    await browse(vendor);
    await browse(owner);
    const heard = nextChange((c) => c.kind === 'productions' && c.ids.includes(otherProductionId));
    await api.resources.pool.query(`update productions set name = 'Other 2' where id = $1`, [
      otherProductionId,
    ]);
    await heard;
    expect(await statementsDuring(() => browse(vendor))).toBe(0);
    expect(await statementsDuring(() => browse(owner))).toBeGreaterThan(0);
  });

  it('a mutation through this api is seen by the very next request, without waiting', async () => {
    const query = 'query($id: ID!) { node(id: $id) { ... on Production { name } } }';
    const id = toGlobalId('Production', productionId);
    await post(query, { id }, owner);
    const { body } = await api.graphql(
      'mutation($id: ID!) { updateProduction(input: { id: $id, name: "Renamed" }) { name } }',
      { id },
      owner,
    );
    expect(body.data.updateProduction.name).toBe('Renamed');
    const after = await post(query, { id }, owner);
    expect(JSON.parse(after.text).data.node.name).toBe('Renamed');
  });

  it("never answers one caller with another's answer", async () => {
    await browse();
    // A key of the other production asks the same request.
    const outsider = (await vendorKey(otherProductionId)).secret;
    const theirs = await browse(outsider);
    expect(JSON.parse(theirs.text).data.node).toBeNull();
  });

  it('keeps no answer with errors', async () => {
    const query = 'query { clips(productionId: "not-a-global-id", first: 1) { totalCount } }';
    const first = await post(query, {}, owner);
    expect(JSON.parse(first.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // Asked again, it is worked out again.
    const again = await post(query, {}, owner);
    expect(again.text).toBe(first.text);
    const metrics = await (await fetch(`${api.origin}/metrics`)).text();
    const stored = Number(/rushes_graphql_response_cache_total\{result="stored"\} (\d+)/.exec(metrics)?.[1]);
    await post(query, {}, owner);
    const later = await (await fetch(`${api.origin}/metrics`)).text();
    expect(Number(/rushes_graphql_response_cache_total\{result="stored"\} (\d+)/.exec(later)?.[1])).toBe(
      stored,
    );
    expect(later).toMatch(/rushes_graphql_response_cache_total\{result="miss"\} [1-9]/);
  });

  it('a revoked API key is refused although its answer was cached', async () => {
    const { secret: key, id } = await vendorKey(productionId);
    expect((await browse(key)).status).toBe(200);
    expect(await statementsDuring(() => browse(key))).toBe(0);
    // Revoked by another connection (an operator in psql): refused once the change is heard.
    const heard = nextChange((c) => c.kind === 'all');
    await api.resources.pool.query(`update api_keys set revoked_at = now() where id = $1`, [id]);
    await heard;
    const refused = await browse(key);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('serves nothing from the cache while change notifications are not heard', async () => {
    await browse();
    expect(await statementsDuring(browse)).toBe(0);
    await api.events.stop();
    expect(await statementsDuring(browse)).toBeGreaterThan(0);
    expect(await statementsDuring(browse)).toBeGreaterThan(0);
  });
});
