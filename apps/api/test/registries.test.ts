/** The api's lists of proxy profiles and colour sources are the registries', not copies. */
import { COLOR_SOURCES, LOOK_SOURCES, type Look } from '@rushes/schema/color';
import { PROXY_PROFILE_IDS, PROXY_PROFILES, renderTaskKind } from '@rushes/schema/profiles';
import type { GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildApiSchema } from '../src/schema.ts';
import { jobOfTask } from '../src/modules/task/task.rules.ts';
import { exportRow, type ExportClip } from '../src/exports/roll-export.ts';

const enumValues = async (name: string) => {
  const type = (await buildApiSchema()).getType(name) as GraphQLEnumType;
  return type
    .getValues()
    .map((v) => ({ name: v.name, value: v.value as string, description: v.description }));
};

describe('the api and the registries', () => {
  it('has the GraphQL RenderProfile enum of every registered profile, labelled as registered', async () => {
    expect(await enumValues('RenderProfile')).toEqual(
      expect.arrayContaining(PROXY_PROFILES.map((p) => ({ name: p.id, value: p.id, description: p.label }))),
    );
    expect((await enumValues('RenderProfile')).length).toBe(PROXY_PROFILE_IDS.length);
  });

  it("sends every profile's render task to the render queue", () => {
    for (const id of PROXY_PROFILE_IDS) expect(jobOfTask(renderTaskKind(id))).toBe('clip.render');
  });

  it('has the colour and look sources of the policy, `-` written `_`', async () => {
    expect((await enumValues('ColorSource')).map((v) => v.value).sort()).toEqual([...COLOR_SOURCES].sort());
    expect((await enumValues('ColorSource')).find((v) => v.value === 'camera-metadata')?.name).toBe(
      'camera_metadata',
    );
    expect((await enumValues('LookSource')).map((v) => v.value).sort()).toEqual([...LOOK_SOURCES].sort());
  });
});

describe('the colour policy in the ALE', () => {
  const look: Look = { slope: [1.2, 1, 0.95], offset: [0, -0.01, 0], power: [1, 1, 1], saturation: 0.8 };
  const clip: ExportClip = {
    fileName: 'A001C001.mov',
    originalPath: 'A001C001.mov',
    reel: 'A001',
    startFrame: 0,
    durationFrames: 24,
    fpsNum: 24,
    fpsDen: 1,
    width: 1920,
    height: 1080,
    codec: 'prores',
    camera: null,
    colorSpace: 'bt709',
    checksums: {},
    metadata: { color: { primaries: { value: 'bt709', source: 'stream' } } },
  };

  it('writes the recorded colour space and the look when the camera names no encoding', () => {
    const row = exportRow(clip, { look });
    expect(row['Color Space']).toBe('bt709');
    expect(row.ASC_SOP).toBe('(1.2 1 0.95)(0 -0.01 0)(1 1 1)');
  });

  it('writes the input colour space the renders use: the production default fills in', () => {
    expect(exportRow(clip, { inputColorspace: 'arri_logc3_awg3' })['Color Space']).toBe('arri_logc3_awg3');
    const logC4 = {
      ...clip,
      metadata: { color: { acesInputTransform: { value: 'arri_logc4_awg4', source: 'exiftool' } } },
    };
    expect(exportRow(logC4, { inputColorspace: 'arri_logc3_awg3' })['Color Space']).toBe('arri_logc4_awg4');
  });
});
