/**
 * Browsing a roll: the number of SQL statements does not grow with the page (DataLoader), the
 * ALE/CSV exports and the streamed zip of proxies, and the limits that keep one query cheap.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAle, parseCsv } from '@rushes/engine/sidecar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/auth/ids.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { seedRoll, type SeedClip } from './support/seed.ts';

let api: TestApi;
let owner: string;
let productionId: string;
const rolls: Record<string, Awaited<ReturnType<typeof seedRoll>>> = {};

const clipsOf = (prefix: string, n: number): SeedClip[] =>
  Array.from({ length: n }, (_, i) => ({
    fileName: `${prefix}C${String(i + 1).padStart(3, '0')}.mov`,
    reel: prefix,
    startTimecode: '10:00:00:00',
    startFrame: 864_000 + i * 100,
    durationFrames: 100,
    proxy: `proxy ${prefix} ${i + 1}`,
    camera: { make: 'ARRI', model: 'ALEXA 35', serial: '1234' },
  }));

beforeAll(async () => {
  api = await startTestApi();
  owner = await api.signUp('owner@example.com');
  const { body } = await api.graphql(
    'mutation { createProduction(input: { name: "Browse", code: "BROWSE" }) { id } }',
    {},
    owner,
  );
  productionId = Buffer.from(body.data.createProduction.id, 'base64url').toString().split(':')[1]!;
  await api.graphql(
    'mutation($id: ID!) { updateProduction(input: { id: $id, colorPipeline: { look: { slope: [1.1, 1, 0.9], offset: [0, 0, 0.01], power: [1, 1, 1], saturation: 0.9 } } }) { id } }',
    { id: body.data.createProduction.id },
    owner,
  );
  rolls['A001'] = await seedRoll(api.resources.db, api.store, productionId, 'A001', clipsOf('A001', 10));
  rolls['A002'] = await seedRoll(api.resources.db, api.store, productionId, 'A002', clipsOf('A002', 100));
});

afterAll(async () => {
  await api?.stop();
});

const BROWSE = `query Browse($roll: ID!) {
  node(id: $roll) {
    ... on Roll {
      name
      progress { total ready fraction }
      clips(first: 100) {
        totalCount
        nodes {
          id fileName reel startTimecode state
          metadata { camera { model { value } } lens { model { value } } }
          thumbnail: rendition(name: "thumbnail") { downloadUrl width }
          renditions { name state }
          tasks { kind state }
          roll { name }
        }
      }
    }
  }
}`;

describe('browsing a roll', () => {
  it('costs the same number of SQL statements for 10 clips as for 100', async () => {
    const count = async (roll: string) => {
      api.queries.length = 0;
      const { body } = await api.graphql(BROWSE, { roll: toGlobalId('Roll', rolls[roll]!.roll.id) }, owner);
      expect(body.errors).toBeUndefined();
      return { statements: api.queries.length, clips: body.data.node.clips.nodes.length as number };
    };
    // The token's access is read once and then kept (cached-reads.ts): read it before counting.
    await api.graphql('query { viewer { id } }', {}, owner);
    const small = await count('A001');
    const large = await count('A002');
    expect(small.clips).toBe(10);
    expect(large.clips).toBe(100);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(10);
  });

  it('counts the matches only when totalCount is asked for, and says whether a next page follows either way', async () => {
    const roll = toGlobalId('Roll', rolls['A002']!.roll.id); // 100 clips
    const page = async (first: number, fields: string) => {
      api.queries.length = 0;
      const { body } = await api.graphql(
        `query($r: ID!) { node(id: $r) { ... on Roll { clips(first: ${first}) { ${fields} } } } }`,
        { r: roll },
        owner,
      );
      expect(body.errors).toBeUndefined();
      return { clips: body.data.node.clips, counts: api.queries.filter((q) => /count\(\*\)/.test(q)).length };
    };
    expect(await page(99, 'pageInfo { hasNextPage }')).toEqual({
      clips: { pageInfo: { hasNextPage: true } },
      counts: 0,
    });
    expect(await page(100, 'pageInfo { hasNextPage }')).toEqual({
      clips: { pageInfo: { hasNextPage: false } },
      counts: 0,
    });
    expect(await page(10, 'totalCount')).toEqual({ clips: { totalCount: 100 }, counts: 1 });
    // Both count fields asked for: still one count.
    expect(await page(10, 'totalCount totalCountExact')).toEqual({
      clips: { totalCount: 100, totalCountExact: true },
      counts: 1,
    });
  });

  it('pages clips by keyset cursors: the next page continues where the last ended, and a cursor of another order is refused', async () => {
    const roll = toGlobalId('Roll', rolls['A002']!.roll.id); // 100 clips
    const clips = async (args: string) => {
      const { body } = await api.graphql(
        `query($r: ID!) { node(id: $r) { ... on Roll { clips(${args}) { nodes { fileName } pageInfo { endCursor hasNextPage hasPreviousPage } } } } }`,
        { r: roll },
        owner,
      );
      return body;
    };
    const all = (await clips('first: 100')).data.node.clips.nodes.map(
      (n: { fileName: string }) => n.fileName,
    );
    const first = (await clips('first: 60')).data.node.clips;
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = (await clips(`first: 60, after: "${first.pageInfo.endCursor}"`)).data.node.clips;
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect([...first.nodes, ...second.nodes].map((n: { fileName: string }) => n.fileName)).toEqual(all);
    const refused = await clips(
      `first: 10, after: "${first.pageInfo.endCursor}", orderBy: { field: SIZE, direction: DESC }`,
    );
    expect(refused.errors?.[0]).toMatchObject({
      message:
        'after is a cursor of the NAME ASC order; ask with that orderBy, or start again without after.',
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
  });

  it('exports the roll as an ALE Media Composer imports, with the look as ASC_SOP/ASC_SAT', async () => {
    const { body } = await api.graphql(
      'query($r: ID!) { node(id: $r) { ... on Roll { aleUrl csvUrl } } }',
      { r: toGlobalId('Roll', rolls['A001']!.roll.id) },
      owner,
    );
    const response = await fetch(body.data.node.aleUrl);
    expect(response.headers.get('content-disposition')).toContain('BROWSE_A001.ale');
    const ale = parseAle(await response.text());
    expect(ale.heading).toMatchObject({ FIELD_DELIM: 'TABS', VIDEO_FORMAT: '1080', FPS: '23.976' });
    expect(ale.columns.slice(0, 7)).toEqual([
      'Name',
      'Tracks',
      'Start',
      'End',
      'Duration',
      'Tape',
      'Source File',
    ]);
    expect(ale.columns).toEqual(
      expect.arrayContaining(['FPS', 'Camera', 'Scene', 'Take', 'ASC_SOP', 'ASC_SAT']),
    );
    expect(ale.rows).toHaveLength(10);
    expect(ale.rows[1]).toMatchObject({
      Name: 'A001C002',
      Tracks: 'VA1A2',
      Start: '10:00:04:04',
      End: '10:00:08:08',
      Tape: 'A001',
      'Source File': 'A001C002.mov',
      FPS: '23.976',
      Camera: 'ARRI ALEXA 35',
      ASC_SOP: '(1.1 1 0.9)(0 0 0.01)(1 1 1)',
      ASC_SAT: '0.9',
    });
    const csv = parseCsv(await (await fetch(body.data.node.csvUrl)).text());
    expect(csv.rows[1]).toMatchObject({ Name: 'A001C002', Start: '10:00:04:04' });
  });

  it('gives a roll shot at several rates one ALE per rate, and refuses it in one ALE naming the rates', async () => {
    const mixed = await seedRoll(api.resources.db, api.store, productionId, 'M001', [
      {
        fileName: 'M001C001.mov',
        reel: 'M001',
        startTimecode: '10:00:00:00',
        startFrame: 863_136,
        durationFrames: 48,
      },
      {
        fileName: 'M001C002.mov',
        reel: 'M001',
        startTimecode: '15:12:59;28',
        startFrame: 1_641_756,
        durationFrames: 60,
        fps: [30000, 1001],
        dropFrame: true,
      },
      {
        fileName: 'M001C003.mov',
        reel: 'M001',
        startTimecode: '11:00:00:00',
        startFrame: 990_000,
        durationFrames: 50,
        fps: [25, 1],
      },
    ]);
    const { body } = await api.graphql(
      'query($r: ID!) { node(id: $r) { ... on Roll { aleUrl aleExports { rate clips url } } } }',
      { r: toGlobalId('Roll', mixed.roll.id) },
      owner,
    );
    const refused = await fetch(body.data.node.aleUrl);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toBe(
      'This roll has clips at 3 frame rates — 23.976 (1 clip), 29.97DF (1 clip), 25 (1 clip) — and an ALE holds one: export one ALE per rate.',
    );
    const exports = body.data.node.aleExports as { rate: string; clips: number; url: string }[];
    expect(exports.map((e) => [e.rate, e.clips])).toEqual([
      ['23.976', 1],
      ['29.97DF', 1],
      ['25', 1],
    ]);
    const ales = await Promise.all(exports.map(async (e) => parseAle(await (await fetch(e.url)).text())));
    expect(
      ales.map((ale) => [ale.heading['FPS'], ale.rows.map((r) => [r['Name'], r['Start'], r['Tape']])]),
    ).toEqual([
      ['23.976', [['M001C001', '09:59:24:00', 'M001']]],
      ['29.97', [['M001C002', '15:12:59;28', 'M001']]],
      ['25', [['M001C003', '11:00:00:00', 'M001']]],
    ]);
    // The rate is part of the signed link: another one is refused.
    const forged = new URL(exports[0]!.url);
    forged.searchParams.set('rate', '25');
    expect((await fetch(forged)).status).toBe(403);
  });

  it('streams the roll’s proxies as a zip holding every proxy’s bytes', async () => {
    const { body } = await api.graphql(
      'query($r: ID!) { node(id: $r) { ... on Roll { proxiesZipUrl(profile: "review") } } }',
      { r: toGlobalId('Roll', rolls['A001']!.roll.id) },
      owner,
    );
    const response = await fetch(body.data.node.proxiesZipUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const listing = await zipEntries(response);
    expect(Object.keys(listing)).toHaveLength(10);
    expect(listing['A001C003.mp4']).toBe('proxy A001 3');
  });

  it('zips only the selected clips, and refuses ids that are not clips of the roll', async () => {
    const roll = toGlobalId('Roll', rolls['A001']!.roll.id);
    const { body: page } = await api.graphql(
      'query($r: ID!) { node(id: $r) { ... on Roll { clips(first: 10) { nodes { id fileName } } } } }',
      { r: roll },
      owner,
    );
    const nodes = page.data.node.clips.nodes as { id: string; fileName: string }[];
    const picked = [nodes[1]!, nodes[4]!];
    const { body } = await api.graphql(
      'query($r: ID!, $c: [ID!]) { node(id: $r) { ... on Roll { proxiesZipUrl(clipIds: $c) } } }',
      { r: roll, c: picked.map((n) => n.id) },
      owner,
    );
    const response = await fetch(body.data.node.proxiesZipUrl);
    expect(response.headers.get('content-disposition')).toContain('BROWSE_A001_review_2_clips.zip');
    expect(await zipEntries(response)).toEqual({
      'A001C002.mp4': 'proxy A001 2',
      'A001C005.mp4': 'proxy A001 5',
    });

    const { body: other } = await api.graphql(
      'query($r: ID!) { node(id: $r) { ... on Roll { clips(first: 1) { nodes { id } } } } }',
      { r: toGlobalId('Roll', rolls['A002']!.roll.id) },
      owner,
    );
    const { body: refused } = await api.graphql(
      'query($r: ID!, $c: [ID!]) { node(id: $r) { ... on Roll { proxiesZipUrl(clipIds: $c) } } }',
      { r: roll, c: [picked[0]!.id, other.data.node.clips.nodes[0].id] },
      owner,
    );
    expect(refused.errors?.[0]).toMatchObject({
      message: '1 of the clipIds are not clips of roll A001.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

/** A zip response's entries, read by Python's zipfile (not by our own code). */
async function zipEntries(response: Response): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rushes-zip-'));
  const file = path.join(dir, 'roll.zip');
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return JSON.parse(
    execFileSync('/usr/bin/python3', [
      '-c',
      'import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps({n: z.read(n).decode() for n in z.namelist()}))',
      file,
    ]).toString(),
  ) as Record<string, string>;
}

describe('search', () => {
  it('finds rolls by name and clips by name, scene or lens, name matches first', async () => {
    const { body } = await api.graphql(
      'query($p: ID!) { a: search(productionId: $p, text: "a001") { rolls { name } clips { fileName } } b: search(productionId: $p, text: "signature prime", first: 3) { clips { fileName } } }',
      { p: toGlobalId('Production', productionId) },
      owner,
    );
    expect(body.data.a.rolls).toEqual([{ name: 'A001' }]);
    expect(body.data.a.clips).toHaveLength(10);
    expect(body.data.a.clips[0]).toEqual({ fileName: 'A001C001.mov' });
    expect(body.data.b.clips).toHaveLength(3);
  });
});

describe('limits', () => {
  it('refuses a query deeper than the limit, naming it', async () => {
    const deep = `{ productions { nodes { rolls { nodes { clips { nodes { roll { production { rolls { nodes { clips { nodes { id } } } } } } } } } } } } }`;
    const { body } = await api.graphql(deep, {}, owner);
    expect(body.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' },
    });
  });

  it('refuses too many aliases and too costly pages before running anything', async () => {
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `h${i}: health { ok }`).join(' ')} }`;
    const many = await api.graphql(aliases, {}, owner);
    expect(many.body.errors?.[0].extensions).toMatchObject({ limit: 'aliases' });
    api.queries.length = 0;
    const costly = await api.graphql(
      'query($n: Int) { productions(first: $n) { nodes { clips(first: 500) { nodes { renditions { name } tasks { kind } } } } } }',
      { n: 500 },
      owner,
    );
    expect(costly.body.errors?.[0]).toMatchObject({ extensions: { limit: 'complexity' } });
    expect(costly.body.errors?.[0].message).toMatch(/would cost \d+ .* the limit is 50000/);
    expect(api.queries.filter((q) => /from "clips"/.test(q))).toEqual([]);
  });

  it('refuses batched HTTP requests', async () => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` },
      body: JSON.stringify([{ query: '{ health { ok } }' }, { query: '{ health { ok } }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('pages are 1–500 items, and a foreign cursor is refused', async () => {
    const big = await api.graphql('{ productions(first: 501) { totalCount } }', {}, owner);
    expect(big.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    const cursor = await api.graphql('{ productions(after: "bm9wZQ") { totalCount } }', {}, owner);
    expect(cursor.body.errors?.[0].message).toBe('after is not a cursor this api gave out.');
  });
});
