/**
 * The acceptance path of the API issue — a vendor with only an API key finds every clip of reel
 * A001 whose timecode range contains 14:03:10:00, reads its metadata and downloads its proxy —
 * and the matrix proving the same key reaches nothing of another production, by any path.
 */
import { apiKeys, auditEvents, clips, renditions, rolls, tasks } from '@rushes/schema/tables';
import { eq } from 'drizzle-orm';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { toGlobalId } from '../src/auth/ids.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { seedRoll } from './support/seed.ts';

let api: TestApi;
let admin: string;
let vendorKey: string;
const ids = { alpha: '', bravo: '' };
let bravo: Awaited<ReturnType<typeof seedRoll>>;
let alpha: Awaited<ReturnType<typeof seedRoll>>;

const frames = (h: number, m: number, s: number, f = 0) => ((h * 60 + m) * 60 + s) * 24 + f;

async function createProduction(name: string, code: string) {
  const { body } = await api.graphql(
    'mutation($input: CreateProductionInput!) { createProduction(input: $input) { id } }',
    { input: { name, code } },
    admin,
  );
  return body.data.createProduction.id as string;
}

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.signUp('owner@example.com');
  ids.alpha = await createProduction('Alpha', 'ALPHA');
  ids.bravo = await createProduction('Bravo', 'BRAVO');
  const db = api.resources.db;
  const dbId = (gid: string) => Buffer.from(gid, 'base64url').toString().split(':')[1]!;
  alpha = await seedRoll(db, api.store, dbId(ids.alpha), 'A001', [
    {
      fileName: 'A001C001_261120_R1AB.mov',
      reel: 'A001',
      startTimecode: '14:02:00:00',
      startFrame: frames(14, 2, 0),
      durationFrames: 240,
    },
    {
      fileName: 'A001C002_261120_R1AB.mov',
      reel: 'A001',
      startTimecode: '14:03:00:00',
      startFrame: frames(14, 3, 0),
      durationFrames: 480,
      proxy: 'review proxy bytes of C002',
      camera: { make: 'ARRI', model: 'ALEXA Mini LF', serial: '2345' },
    },
    {
      fileName: 'A001C003_261120_R1AB.mov',
      reel: 'A001',
      startTimecode: '14:03:15:00',
      startFrame: frames(14, 3, 15),
      durationFrames: 240,
    },
    {
      fileName: 'B001C001_261120_R2CD.mov',
      reel: 'B001',
      startTimecode: '14:03:05:00',
      startFrame: frames(14, 3, 5),
      durationFrames: 480,
    },
  ]);
  bravo = await seedRoll(db, api.store, dbId(ids.bravo), 'A001', [
    {
      fileName: 'A001C002_SECRET.mov',
      reel: 'A001',
      startTimecode: '14:03:00:00',
      startFrame: frames(14, 3, 0),
      durationFrames: 480,
      proxy: 'other production',
    },
  ]);
  const { body } = await api.graphql(
    'mutation($p: [ID!]!) { createApiKey(name: "VFX vendor", productionIds: $p, role: vendor) { secret apiKey { prefix role } } }',
    { p: [ids.alpha] },
    admin,
  );
  vendorKey = body.data.createApiKey.secret;
  expect(body.data.createApiKey.apiKey).toEqual({
    prefix: vendorKey.slice(0, 'rs_key_'.length + 8),
    role: 'vendor',
  });
});

afterAll(async () => {
  await api?.stop();
});

const FIND = `query Find($code: String!, $tc: String!) {
  production(code: $code) {
    id
    clips(filter: { reel: "A001", timecode: $tc }, first: 50) {
      totalCount
      nodes {
        id fileName startTimecode endTimecode reel
        frameRate { num den fps }
        metadata {
          camera { make { value source detail } serial { value source conflicts { value source } } }
          time { startTimecode { value source } }
          color { acesInputTransform { value } }
        }
        rendition(name: "proxy:review") { name codec downloadUrl }
      }
    }
  }
}`;

describe('a vendor with an API key', () => {
  it('finds the clip of reel A001 containing 14:03:10:00, reads its sourced metadata and downloads its proxy', async () => {
    const { body } = await api.graphql(FIND, { code: 'alpha', tc: '14:03:10:00' }, vendorKey);
    expect(body.errors).toBeUndefined();
    const found = body.data.production.clips;
    expect(found.totalCount).toBe(1);
    const clip = found.nodes[0];
    expect(clip).toMatchObject({
      fileName: 'A001C002_261120_R1AB.mov',
      reel: 'A001',
      frameRate: { num: 24000, den: 1001, fps: 24000 / 1001 },
      metadata: {
        camera: {
          make: { value: 'ARRI', source: 'exiftool', detail: 'QuickTime:Make' },
          serial: {
            value: '2345',
            source: 'exiftool',
            conflicts: [{ value: 'K1.0000000', source: 'filename' }],
          },
        },
        time: { startTimecode: { value: '14:03:00:00', source: 'stream' } },
        color: { acesInputTransform: { value: 'arri_logc3_awg3' } },
      },
      rendition: { name: 'proxy:review', codec: 'h264' },
    });
    const download = await fetch(clip.rendition.downloadUrl);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('review proxy bytes of C002');
    expect(download.headers.get('content-disposition')).toContain('A001C002_261120_R1AB_proxy-review.mp4');
  });

  it('finds clips overlapping a timecode range, and refuses a malformed timecode saying how to write one', async () => {
    const range = await api.graphql(
      `query($id: ID!) { clips(productionId: $id, filter: { timecodeFrom: "14:02:05:00", timecodeTo: "14:03:02:00" }, orderBy: { field: START_TIMECODE, direction: DESC }) { nodes { fileName } } }`,
      { id: ids.alpha },
      vendorKey,
    );
    expect(range.body.data.clips.nodes.map((c: { fileName: string }) => c.fileName)).toEqual([
      'A001C002_261120_R1AB.mov',
      'A001C001_261120_R1AB.mov',
    ]);
    const bad = await api.graphql(FIND, { code: 'ALPHA', tc: '25:99' }, vendorKey);
    expect(bad.body.errors?.[0]).toMatchObject({
      message: '"25:99" is not a timecode: use HH:MM:SS:FF, e.g. 14:03:10:00.',
      extensions: { code: 'BAD_USER_INPUT', field: 'timecode' },
    });
  });

  it('filters by camera, codec, frame rate and text, and pages with cursors and totalCount', async () => {
    const q = `query($id: ID!, $f: ClipFilter, $after: String) { clips(productionId: $id, filter: $f, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { fileName } } }`;
    const byCamera = await api.graphql(
      q,
      { id: ids.alpha, f: { cameraMake: 'arri', cameraSerial: '2345' } },
      vendorKey,
    );
    expect(byCamera.body.data.clips.nodes).toEqual([{ fileName: 'A001C002_261120_R1AB.mov' }]);
    const first = await api.graphql(
      q,
      { id: ids.alpha, f: { codec: 'ProRes', frameRate: 23.976, text: '261120' } },
      vendorKey,
    );
    expect(first.body.data.clips.totalCount).toBe(4);
    expect(first.body.data.clips.pageInfo.hasNextPage).toBe(true);
    const second = await api.graphql(
      q,
      {
        id: ids.alpha,
        f: { codec: 'prores', text: '261120' },
        after: first.body.data.clips.pageInfo.endCursor,
      },
      vendorKey,
    );
    expect(
      [...first.body.data.clips.nodes, ...second.body.data.clips.nodes].map(
        (c: { fileName: string }) => c.fileName,
      ),
    ).toEqual([
      'A001C001_261120_R1AB.mov',
      'A001C002_261120_R1AB.mov',
      'A001C003_261120_R1AB.mov',
      'B001C001_261120_R2CD.mov',
    ]);
    expect(second.body.data.clips.pageInfo.hasNextPage).toBe(false);
    const literal = await api.graphql(q, { id: ids.alpha, f: { text: '%' } }, vendorKey);
    expect(literal.body.data.clips.totalCount).toBe(0);
  });

  it('is refused mutations in its own production with FORBIDDEN naming the role needed', async () => {
    const { body } = await api.graphql(
      'mutation($id: ID!) { createRoll(input: { productionId: $id, name: "A002" }) { id } }',
      { id: ids.alpha },
      vendorKey,
    );
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRole: 'coordinator' });
  });

  it('sees only its production in lists and in viewer', async () => {
    const { body } = await api.graphql(
      '{ productions { totalCount nodes { code role } } viewer { isApiKey memberships { role production { code } } } }',
      {},
      vendorKey,
    );
    expect(body.data.productions).toEqual({ totalCount: 1, nodes: [{ code: 'ALPHA', role: 'vendor' }] });
    expect(body.data.viewer).toEqual({
      isApiKey: true,
      memberships: [{ role: 'vendor', production: { code: 'ALPHA' } }],
    });
  });
});

describe("the vendor's key reaches nothing of another production, by any path", () => {
  let objects: Promise<Record<string, string>> | undefined;
  const bravoObjects = () => (objects ??= findBravoObjects());

  async function findBravoObjects() {
    const db = api.resources.db;
    const clip = bravo.clips[0]!;
    const [rendition] = await db.select().from(renditions).where(eq(renditions.clipId, clip.id));
    const [task] = await db.select().from(tasks).where(eq(tasks.clipId, clip.id));
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.productionId, bravo.roll.productionId));
    const [ownerKey] = await db
      .insert(apiKeys)
      .values({
        name: 'bravo only',
        prefix: 'rs_key_zzzzzzzz',
        secretHash: 'x',
        role: 'owner',
        productionIds: [bravo.roll.productionId],
      })
      .returning();
    return {
      Production: toGlobalId('Production', bravo.roll.productionId),
      Roll: toGlobalId('Roll', bravo.roll.id),
      Clip: toGlobalId('Clip', clip.id),
      Rendition: toGlobalId('Rendition', rendition!.id),
      Task: toGlobalId('Task', task!.id),
      AuditEvent: toGlobalId('AuditEvent', audit!.id),
      ApiKey: toGlobalId('ApiKey', ownerKey!.id),
    };
  }

  it('node(id) answers null for every type, as for an unknown id', async () => {
    for (const [type, id] of Object.entries(await bravoObjects())) {
      const { body } = await api.graphql('query($id: ID!) { node(id: $id) { id } }', { id }, vendorKey);
      expect({ type, node: body.data?.node, errors: body.errors }).toEqual({
        type,
        node: null,
        errors: undefined,
      });
    }
  });

  it('production by id or code answers null; lists by production answer NOT_FOUND', async () => {
    const byId = await api.graphql(
      'query($id: ID!) { production(id: $id) { code } }',
      { id: ids.bravo },
      vendorKey,
    );
    expect(byId.body.data.production).toBeNull();
    const byCode = await api.graphql('{ production(code: "BRAVO") { code } }', {}, vendorKey);
    expect(byCode.body.data.production).toBeNull();
    for (const query of [
      'query($id: ID!) { clips(productionId: $id) { totalCount } }',
      'query($id: ID!) { rolls(productionId: $id) { totalCount } }',
    ]) {
      const { body } = await api.graphql(query, { id: ids.bravo }, vendorKey);
      expect(body.errors?.[0].extensions.code).toBe('NOT_FOUND');
      expect(body.data).toBeNull();
    }
  });

  it('an id of another production answers exactly as an id that does not exist', async () => {
    const unknown = '99999999-9999-4999-8999-999999999999';
    const ask = async (query: string, id: string) =>
      (await api.graphql(query, { id }, vendorKey)).body.errors;
    for (const [type, query] of [
      ['Roll', 'mutation($id: ID!) { completeUpload(rollId: $id) { id } }'],
      ['Clip', 'mutation($id: ID!) { deleteClip(id: $id) }'],
      ['Production', 'query($id: ID!) { clips(productionId: $id) { totalCount } }'],
      ['Production', 'query($id: ID!) { rolls(productionId: $id) { totalCount } }'],
    ] as const) {
      const other =
        type === 'Roll' ? bravo.roll.id : type === 'Clip' ? bravo.clips[0]!.id : bravo.roll.productionId;
      const theirs = await ask(query, toGlobalId(type, other));
      expect(theirs?.[0].extensions.code).toBe('NOT_FOUND');
      expect(await ask(query, toGlobalId(type, unknown))).toEqual(theirs);
    }
  });

  it('a roll filter naming the other production’s roll matches nothing', async () => {
    const { body } = await api.graphql(
      'query($id: ID!, $roll: ID!) { clips(productionId: $id, filter: { rollIds: [$roll] }) { totalCount } }',
      { id: ids.alpha, roll: toGlobalId('Roll', bravo.roll.id) },
      vendorKey,
    );
    expect(body.data.clips.totalCount).toBe(0);
  });

  it('every mutation on its objects is refused and changes nothing', async () => {
    const o = await bravoObjects();
    const attempts: [string, Record<string, unknown>][] = [
      [
        'mutation($id: ID!) { updateProduction(input: { id: $id, name: "Hacked" }) { id } }',
        { id: o.Production },
      ],
      [
        'mutation($id: ID!) { createRoll(input: { productionId: $id, name: "X1" }) { id } }',
        { id: o.Production },
      ],
      [
        'mutation($id: ID!) { importRoll(input: { productionId: $id, name: "X2", location: "/tmp" }) { id } }',
        { id: o.Production },
      ],
      [
        'mutation($id: ID!) { beginUpload(rollId: $id, fileName: "x.mov", size: 10) { uploadId } }',
        { id: o.Roll },
      ],
      ['mutation($id: ID!) { completeUpload(rollId: $id) { id } }', { id: o.Roll }],
      ['mutation($id: ID!) { reprocessClips(ids: [$id], profile: review) { id } }', { id: o.Clip }],
      ['mutation($id: ID!) { deleteClip(id: $id) }', { id: o.Clip }],
      ['mutation($id: ID!) { cancelTask(id: $id) { id } }', { id: o.Task }],
      [
        'mutation($id: ID!) { addMember(productionId: $id, email: "x@example.com", role: owner) { invitation } }',
        { id: o.Production },
      ],
      [
        'mutation($id: ID!) { removeMember(productionId: $id, email: "owner@example.com") }',
        { id: o.Production },
      ],
      ['mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: o.ApiKey }],
      [
        'mutation($id: ID!) { createApiKey(name: "k", productionIds: [$id], role: owner) { secret } }',
        { id: o.Production },
      ],
    ];
    for (const [query, variables] of attempts) {
      const { body } = await api.graphql(query, variables, vendorKey);
      expect({ query, code: body.errors?.[0]?.extensions?.code }).toEqual({
        query,
        code: expect.stringMatching(/^(NOT_FOUND|FORBIDDEN)$/),
      });
    }
    const db = api.resources.db;
    expect(await db.select().from(clips).where(eq(clips.productionId, bravo.roll.productionId))).toHaveLength(
      1,
    );
    expect(await db.select().from(rolls).where(eq(rolls.productionId, bravo.roll.productionId))).toHaveLength(
      1,
    );
    const [task] = await db.select().from(tasks).where(eq(tasks.clipId, bravo.clips[0]!.id)).limit(1);
    expect(task!.state).toBe('succeeded');
  });

  it('subscriptions to its objects are refused at subscribe time', async () => {
    const client = createClient({
      url: api.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${vendorKey}` },
    });
    const o = await bravoObjects();
    try {
      for (const [query, variables] of [
        ['subscription($id: ID!) { clipUpdated(clipId: $id) { id } }', { id: o.Clip }],
        ['subscription($id: ID!) { rollProgress(rollId: $id) { state } }', { id: o.Roll }],
        ['subscription($id: ID!) { productionActivity(productionId: $id) { type } }', { id: o.Production }],
      ] as const) {
        const outcome = await new Promise<unknown>((resolve) => {
          client.subscribe(
            { query, variables },
            { next: resolve, error: resolve, complete: () => resolve('complete') },
          );
        });
        expect(JSON.stringify(outcome)).toMatch(/NOT_FOUND/);
      }
    } finally {
      await client.dispose();
    }
  });

  it('the signed links it gets are for its own production only, and a forged one is refused', async () => {
    const { body } = await api.graphql(
      'query($id: ID!) { rolls(productionId: $id) { nodes { aleUrl } } }',
      { id: ids.alpha },
      vendorKey,
    );
    const link = body.data.rolls.nodes[0].aleUrl as string;
    expect(link).toContain(alpha.roll.id);
    const forged = link.replace(alpha.roll.id, bravo.roll.id);
    expect((await fetch(forged)).status).toBe(403);
  });
});

describe('callers without a valid identity', () => {
  it('anonymous calls that need one say UNAUTHENTICATED', async () => {
    const { body } = await api.graphql('{ productions { totalCount } }');
    expect(body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('an unknown or revoked token is refused with 401 and a message saying what to do', async () => {
    const unknown = await api.graphql('{ viewer { email } }', {}, 'rs_key_nottherealkeyatall');
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: 'This API key is unknown, revoked or expired.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const garbage = await api.graphql('{ viewer { email } }', {}, 'hello');
    expect(garbage.status).toBe(401);
  });
});
