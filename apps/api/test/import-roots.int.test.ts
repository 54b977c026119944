/**
 * The server-path hole (issue #20, critical): a coordinator could importRoll any folder the
 * worker can read — the store's own `productions` folder, `/proc/self/cwd`. Now only folders and
 * prefixes under import roots an administrator opened are importable, the platform's own places
 * never, and the worker checks again, on its machine, before it reads.
 */
import { cp, mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jobNames } from '@rushes/schema/jobs';
import { protectedPlaces } from '@rushes/storage';
import { rolls } from '@rushes/schema/tables';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait.ts';
import { makeGoodCard } from '../../worker/test/support/card.ts';
import { startWorker, type RunningWorker } from '../../worker/src/worker.ts';
import { startTestApi, type TestApi } from './support/api.ts';

let api: TestApi;
let worker: RunningWorker;
let admin: string;
let coordinatorKey: string;
let otherKey: string;
let productionId: string;
let otherProductionId: string;
let cards: string;
let outside: string;
const temp: string[] = [];

async function gql(token: string, query: string, variables: Record<string, unknown> = {}) {
  return (await api.graphql(query, variables, token)).body;
}

const IMPORT =
  'mutation($p: ID!, $n: String!, $l: String!) { importRoll(input: { productionId: $p, name: $n, location: $l }) { id sourceLocation } }';

beforeAll(async () => {
  api = await startTestApi();
  worker = await startWorker(
    {
      DATABASE_URL: api.database.url,
      WORKER_CONCURRENCY: 2,
      WORKER_QUEUES: [...jobNames],
      WORKER_ID: 'roots',
    },
    pino({ level: 'silent' }),
    {
      store: api.store,
      protectedPlaces: await protectedPlaces({ storageDir: api.storeDir, installDir: process.cwd() }),
    },
  );
  admin = await api.signUp('admin@example.com');
  const created = await gql(
    admin,
    'mutation { a: createProduction(input: { name: "Alpha", code: "AL" }) { id } b: createProduction(input: { name: "Bravo", code: "BR" }) { id } }',
  );
  productionId = created.data.a.id;
  otherProductionId = created.data.b.id;
  const key = async (production: string) =>
    (
      await gql(
        admin,
        'mutation($p: [ID!]!) { createApiKey(name: "DIT", productionIds: $p, role: coordinator) { secret } }',
        { p: [production] },
      )
    ).data.createApiKey.secret as string;
  coordinatorKey = await key(productionId);
  otherKey = await key(otherProductionId);
  cards = await realpath(await mkdtemp(path.join(tmpdir(), 'rushes-cards-')));
  outside = await realpath(await mkdtemp(path.join(tmpdir(), 'rushes-outside-')));
  temp.push(cards, outside);
}, 120_000);

afterAll(async () => {
  await worker?.stop(5_000);
  await api?.stop();
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

describe('import roots', () => {
  it('only an administrator manages them; a root cannot be / or the store', async () => {
    const denied = await gql(
      coordinatorKey,
      'mutation($l: String!) { addImportRoot(input: { location: $l }) { id } }',
      {
        l: cards,
      },
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(coordinatorKey, '{ importRoots { id } }')).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );

    for (const location of ['/', api.storeDir, path.join(api.storeDir, 'productions'), '/proc/self']) {
      const refused = await gql(
        admin,
        'mutation($l: String!) { addImportRoot(input: { location: $l }) { id } }',
        {
          l: location,
        },
      );
      expect(refused.errors?.[0]?.extensions, location).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'PROTECTED_LOCATION',
      });
    }
    const bad = await gql(
      admin,
      'mutation { addImportRoot(input: { location: "s3://bucket/../../x" }) { id } }',
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BAD_LOCATION' });

    const added = await gql(
      admin,
      'mutation($l: String!, $p: [ID!]) { addImportRoot(input: { location: $l, description: "cart", productionIds: $p }) { id location productionIds } }',
      { l: `${cards}/`, p: [productionId] },
    );
    expect(added.errors).toBeUndefined();
    expect(added.data.addImportRoot).toMatchObject({ location: cards, productionIds: [productionId] });
    const again = await gql(
      admin,
      'mutation($l: String!) { addImportRoot(input: { location: $l }) { id } }',
      {
        l: cards,
      },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const seen = await gql(
      coordinatorKey,
      'query($p: ID!) { node(id: $p) { ... on Production { importLocations } } }',
      {
        p: productionId,
      },
    );
    expect(seen.data.node.importLocations).toEqual([cards]);
  });

  it('refuses every escape tried, naming why, and creates no roll', async () => {
    const attempts: [string, string][] = [
      [api.storeDir, 'PROTECTED_LOCATION'],
      [path.join(api.storeDir, 'productions'), 'PROTECTED_LOCATION'],
      ['/proc/self/cwd', 'PROTECTED_LOCATION'],
      ['/etc', 'PROTECTED_LOCATION'],
      [outside, 'OUTSIDE_IMPORT_ROOTS'],
      [`${cards}-sibling`, 'OUTSIDE_IMPORT_ROOTS'],
      [`${cards}/../${path.basename(outside)}`, 'BAD_LOCATION'],
      ['s3://bucket/../../x', 'BAD_LOCATION'],
      ['s3://dailies/day01', 'OUTSIDE_IMPORT_ROOTS'],
      ['cards/A001', 'BAD_LOCATION'],
    ];
    for (const [index, [location, reason]] of attempts.entries()) {
      const body = await gql(coordinatorKey, IMPORT, { p: productionId, n: `X${index}`, l: location });
      expect(body.errors?.[0]?.extensions, location).toMatchObject({ reason, field: 'location' });
    }
    // A link inside the root is judged by where it points.
    await symlink(outside, path.join(cards, 'link-out'));
    await symlink(api.storeDir, path.join(cards, 'link-store'));
    for (const [name, reason] of [
      ['link-out', 'OUTSIDE_IMPORT_ROOTS'],
      ['link-store', 'PROTECTED_LOCATION'],
    ] as const) {
      const body = await gql(coordinatorKey, IMPORT, { p: productionId, n: name, l: path.join(cards, name) });
      expect(body.errors?.[0]?.extensions, name).toMatchObject({ reason });
    }
    // The root is open to Alpha only.
    const card = path.join(cards, 'A001');
    await mkdir(card);
    const other = await gql(otherKey, IMPORT, { p: otherProductionId, n: 'A001', l: card });
    expect(other.errors?.[0]?.extensions).toMatchObject({ reason: 'OUTSIDE_IMPORT_ROOTS' });
    const made = await api.resources.db.select({ name: rolls.name }).from(rolls);
    expect(made).toEqual([]);
  });

  it('imports a card under the root to ready', async () => {
    const made = await makeGoodCard(1, '320x180', 1);
    temp.push(made);
    const card = path.join(cards, 'B001');
    await cp(made, card, { recursive: true });
    const body = await gql(coordinatorKey, IMPORT, { p: productionId, n: 'B001', l: card });
    expect(body.errors).toBeUndefined();
    const rollId = body.data.importRoll.id;
    const roll = await waitFor(
      'the roll to settle',
      async () => {
        const { data } = await gql(
          coordinatorKey,
          'query($id: ID!) { node(id: $id) { ... on Roll { state errorMessage progress { total } } } }',
          { id: rollId },
        );
        return ['ready', 'failed', 'partial'].includes(data.node.state) ? data.node : undefined;
      },
      60_000,
    );
    expect(roll).toMatchObject({ state: 'ready', errorMessage: null, progress: { total: 1 } });
  });

  it('the worker checks again before it reads: a job naming the store fails the roll', async () => {
    const roll = async (name: string) =>
      (
        await gql(
          coordinatorKey,
          'mutation($p: ID!, $n: String!) { createRoll(input: { productionId: $p, name: $n }) { id } }',
          { p: productionId, n: name },
        )
      ).data.createRoll.id as string;
    const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1]!;
    // A job that never went through the api (a forged or stale queue entry).
    const forged = dbId(await roll('F001'));
    const client = await api.resources.pool.connect();
    try {
      await api.queue.send(client, 'roll.import', {
        rollId: forged,
        location: path.join(api.storeDir, 'productions'),
      });
    } finally {
      client.release();
    }
    const failed = await waitFor(
      'the forged import to fail',
      async () => {
        const [row] = await api.resources.db.select().from(rolls).where(eq(rolls.id, forged));
        return row?.state === 'failed' ? row : undefined;
      },
      30_000,
    );
    expect(failed.errorMessage).toMatch(/never importable/);
    expect(failed.importFilesDone).toBeNull();
  });
});
