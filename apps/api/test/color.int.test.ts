/**
 * A clip's colour decision through the api: the policy the worker renders with, read with the
 * production's settings from the real database, each answer with its provenance.
 */
import { clips } from '@rushes/schema/tables';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/auth/ids.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { seedRoll } from './support/seed.ts';

let api: TestApi;
let owner: string;
let production: string;
let roll: string;

beforeAll(async () => {
  api = await startTestApi();
  owner = await api.signUp('owner@example.com');
  const { body } = await api.graphql(
    'mutation { createProduction(input: { name: "Colour", code: "COLOUR" }) { id } }',
    {},
    owner,
  );
  production = body.data.createProduction.id;
  const productionId = Buffer.from(production, 'base64url').toString().split(':')[1]!;
  const seeded = await seedRoll(api.resources.db, api.store, productionId, 'A001', [
    {
      fileName: 'A001C001.mov',
      reel: 'A001',
      startTimecode: '10:00:00:00',
      startFrame: 0,
      durationFrames: 24,
    },
    {
      fileName: 'A001C002.mov',
      reel: 'A001',
      startTimecode: '10:00:01:00',
      startFrame: 24,
      durationFrames: 24,
    },
  ]);
  roll = toGlobalId('Roll', seeded.roll.id);
  // The second clip's camera metadata names no encoding (the seed's first says ARRI LogC3).
  const second = seeded.clips[1]!;
  await api.resources.db
    .update(clips)
    .set({ metadata: { ...second.metadata, color: {} } })
    .where(eq(clips.id, second.id));
});

afterAll(async () => {
  await api?.stop();
});

const decisions = async () => {
  const { body } = await api.graphql(
    `query($id: ID!) { node(id: $id) { ... on Roll { clips(first: 10) { nodes {
      fileName colorDecision { inputColorspace source lookSource } } } } } }`,
    { id: roll },
    owner,
  );
  expect(body.errors).toBeUndefined();
  return body.data.node.clips.nodes as { fileName: string; colorDecision: unknown }[];
};

const setPipeline = async (colorPipeline: Record<string, unknown>) => {
  const { body } = await api.graphql(
    'mutation($id: ID!, $p: JSONObject!) { updateProduction(input: { id: $id, colorPipeline: $p }) { id } }',
    { id: production, p: colorPipeline },
    owner,
  );
  expect(body.errors).toBeUndefined();
};

describe('Clip.colorDecision', () => {
  it('says the camera metadata named the encoding, or that nothing did', async () => {
    expect(await decisions()).toEqual([
      {
        fileName: 'A001C001.mov',
        colorDecision: { inputColorspace: 'arri_logc3_awg3', source: 'camera_metadata', lookSource: null },
      },
      {
        fileName: 'A001C002.mov',
        colorDecision: { inputColorspace: null, source: 'unknown', lookSource: null },
      },
    ]);
  });

  it("follows the production's default input colour space and look", async () => {
    await setPipeline({
      inputColorspace: 'sony_slog3_sgamut3cine',
      look: { slope: [1.1, 1, 0.9], offset: [0, 0, 0.01], power: [1, 1, 1], saturation: 0.9 },
    });
    expect((await decisions()).map((c) => c.colorDecision)).toEqual([
      { inputColorspace: 'arri_logc3_awg3', source: 'camera_metadata', lookSource: 'production' },
      { inputColorspace: 'sony_slog3_sgamut3cine', source: 'production_default', lookSource: 'production' },
    ]);
  });

  it('refuses a default input colour space the renders do not know', async () => {
    const { body } = await api.graphql(
      'mutation($id: ID!, $p: JSONObject!) { updateProduction(input: { id: $id, colorPipeline: $p }) { id } }',
      { id: production, p: { inputColorspace: 'arri_logc9' } },
      owner,
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
