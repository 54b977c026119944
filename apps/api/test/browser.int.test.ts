/**
 * What browsers meet at the api: CORS answers only the allowed origins, and each kind of signed
 * link accepts only its own kind's signature (an export link's signature opens no blob, a blob
 * link's no export).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';

const WEB = 'https://rushes.example.com';
let api: TestApi;
let token: string;
let rollId: string;
let rollGlobalId: string;

beforeAll(async () => {
  api = await startTestApi({ corsOrigins: [WEB] });
  token = await api.signUp('owner@example.com');
  const production = await api.graphql(
    'mutation { createProduction(input: { name: "Links", code: "LINKS" }) { id } }',
    {},
    token,
  );
  const roll = await api.graphql(
    'mutation($p: ID!) { createRoll(input: { productionId: $p, name: "A001" }) { id } }',
    { p: production.body.data.createProduction.id },
    token,
  );
  rollGlobalId = roll.body.data.createRoll.id;
  rollId = Buffer.from(rollGlobalId, 'base64url').toString().split(':')[1]!;
});

afterAll(async () => {
  await api?.stop();
});

const query = JSON.stringify({ query: '{ setupRequired }' });

describe('CORS', () => {
  it('answers an allowed origin by name, and gives another origin no Access-Control-Allow-Origin', async () => {
    const allowed = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: WEB },
      body: query,
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WEB);
    expect(allowed.headers.get('vary')).toMatch(/origin/i);

    const other = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: query,
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const preflight = await fetch(api.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const allowedPreflight = await fetch(api.url, {
      method: 'OPTIONS',
      headers: { origin: WEB, 'access-control-request-method': 'POST' },
    });
    expect(allowedPreflight.headers.get('access-control-allow-origin')).toBe(WEB);
  });

  it('does the same for the local store’s /blobs links, which browsers upload parts to', async () => {
    const link = await api.store.signedPutUrl('productions/p/rolls/r/original/A.mov');
    const from = (origin: string) =>
      fetch(link, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PUT' },
      });
    expect((await from(WEB)).headers.get('access-control-allow-origin')).toBe(WEB);
    expect((await from(WEB)).headers.get('access-control-expose-headers')).toBe('etag');
    expect((await from('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends * itself, never the caller’s origin, when any origin is allowed', async () => {
    const open = await startTestApi({ corsOrigins: '*' });
    try {
      const response = await fetch(open.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://anyone.example' },
        body: query,
      });
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await open.stop();
    }
  });
});

describe('signed links of one kind refuse the signatures of another', () => {
  it('an export link’s signature opens no blob, even one stored under the export’s own key', async () => {
    const { body } = await api.graphql(
      'query($id: ID!) { node(id: $id) { ... on Roll { csvUrl } } }',
      { id: rollGlobalId },
      token,
    );
    const csvUrl = new URL(body.data.node.csvUrl);
    expect((await fetch(csvUrl)).status).toBe(200);

    // The same method, key and expiry under /blobs: only the signing key differs.
    const key = csvUrl.pathname.slice(1);
    await api.store.put(key, Buffer.from('not an export'));
    const asBlob = new URL(`/blobs/${key}`, api.origin);
    asBlob.searchParams.set('expires', csvUrl.searchParams.get('expires')!);
    asBlob.searchParams.set('signature', csvUrl.searchParams.get('sig')!);
    const refused = await fetch(asBlob);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('invalid signature\n');
    // The store's own link to that object works: the refusal is the signature's kind.
    expect((await fetch(await api.store.signedGetUrl(key))).status).toBe(200);
  });

  it('a blob link’s signature opens no export', async () => {
    const key = `exports/rolls/${rollId}.csv`;
    const blobLink = new URL(await api.store.signedGetUrl(key));
    const asExport = new URL(`/${key}`, api.origin);
    asExport.searchParams.set('expires', blobLink.searchParams.get('expires')!);
    asExport.searchParams.set('sig', blobLink.searchParams.get('signature')!);
    const refused = await fetch(asExport);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('This link is not valid.');
  });
});
