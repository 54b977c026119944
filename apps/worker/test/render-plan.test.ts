/** What the render job makes of a clip and its production's settings: profile, colour, identity. */
import {
  derivedIdentity,
  ENGINE_VERSION,
  resolveProfile,
  DEFAULT_IMAGES,
  type RenderedFile,
} from '@rushes/engine';
import type { Look } from '@rushes/schema/color';
import type { NormalizedClipMetadata } from '@rushes/schema/metadata';
import { PROXY_PROFILES, proxyRenditionName } from '@rushes/schema/profiles';
import { describe, expect, it } from 'vitest';
import { planRender, renditionOf } from '../src/jobs/clip-render.handler.ts';
import { rendersFor } from '../src/jobs/clip-probe.handler.ts';

const look: Look = { slope: [1.1, 1, 0.9], offset: [0, 0, 0.01], power: [1, 1, 1], saturation: 0.9 };
const metadata = (color: NormalizedClipMetadata['color'], width?: number): NormalizedClipMetadata => ({
  identity: {},
  camera: {},
  lens: {},
  exposure: {},
  picture: width ? { width: { value: width, source: 'stream' } } : {},
  color,
  time: {},
  audio: {},
  file: {},
});
const logC3 = metadata({ acesInputTransform: { value: 'arri_logc3_awg3', source: 'exiftool' } }, 1920);
const unknown = metadata({}, 1920);
const checksums = { xxh64: '0123456789abcdef' };
const production = (colorPipeline: unknown, proxyProfiles: unknown = []) => ({
  colorPipeline,
  proxyProfiles,
});

describe('planRender', () => {
  it('colours with the camera encoding and the production look, identity as before', () => {
    const { job, identity } = planRender({ metadata: logC3, checksums }, production({ look }), 'review');
    expect(job.color).toEqual({ input: 'arri_logc3_awg3', look });
    expect(job.images).toBe(DEFAULT_IMAGES);
    expect(identity).toBe(
      derivedIdentity({
        source: 'xxh64:0123456789abcdef',
        output: 'review',
        settings: { proxy: resolveProfile('review'), images: DEFAULT_IMAGES },
        color: { input: 'arri_logc3_awg3', look },
        engineVersion: ENGINE_VERSION,
      }),
    );
  });

  // Issue #18: the look used to be dropped here when the encoding was unknown (see decideColor).
  it('keeps the production look when the input colour space is unknown: applied as Rec.709 video', () => {
    const { job } = planRender({ metadata: unknown, checksums }, production({ look }), 'avid');
    expect(job.color).toEqual({ input: 'rec709', look });
    expect(job.images).toBeUndefined();
  });

  it('renders as shot with neither an encoding nor a look, and when the profile says none', () => {
    expect(planRender({ metadata: unknown, checksums }, production({}), 'review').job.color).toBeUndefined();
    const none = production({ look }, [{ id: 'premiere', color: 'none' }]);
    expect(planRender({ metadata: logC3, checksums }, none, 'premiere').job.color).toBeUndefined();
  });

  it('uses the production default input colour space when the camera names none', () => {
    const { job } = planRender(
      { metadata: unknown, checksums },
      production({ inputColorspace: 'sony_slog3_sgamut3' }),
      'review',
    );
    expect(job.color).toEqual({ input: 'sony_slog3_sgamut3' });
  });
});

describe('renditions of the registry', () => {
  it.each(PROXY_PROFILES.map((p) => [p.id, p] as const))(
    'names the %s proxy after its profile and records the registry codec',
    (id, facts) => {
      const file: RenderedFile = { kind: 'proxy', path: '/tmp/r.x', bytes: 1, width: 1920, height: 1080 };
      expect(renditionOf(file, id)).toEqual({
        name: proxyRenditionName(id),
        kind: 'proxy',
        codec: facts.videoCodec,
      });
    },
  );

  it('records the sound codec for a proxy without a picture, and the image codecs', () => {
    const sound: RenderedFile = { kind: 'proxy', path: '/tmp/r.m4a', bytes: 1 };
    expect(renditionOf(sound, 'review')).toEqual({ name: 'proxy:review', kind: 'proxy', codec: 'aac' });
    const strip: RenderedFile = { kind: 'strip', path: '/tmp/s.jpg', bytes: 1, width: 3200, height: 90 };
    expect(renditionOf(strip, 'review')).toEqual({ name: 'strip', kind: 'strip', codec: 'mjpeg' });
    const vtt: RenderedFile = { kind: 'strip-vtt', path: '/tmp/s.vtt', bytes: 1 };
    expect(renditionOf(vtt, 'review')).toEqual({ name: 'strip.vtt', kind: 'strip', codec: null });
  });

  it("renders the review proxy for every clip and the production's editorial ones for pictures", () => {
    const editors = [{ id: 'premiere' }, { id: 'avid' }, { id: 'review', maxWidth: 1280 }];
    expect(rendersFor(unknown, editors)).toEqual(['review', 'premiere', 'avid']);
    expect(rendersFor(metadata({}), editors)).toEqual(['review']);
  });
});
