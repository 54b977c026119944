/** The proxy profile registry and the schema's lists derived from it. */
import { describe, expect, it } from 'vitest';
import { jobDefinitions, parseJobPayload } from '../src/jobs.ts';
import {
  DEFAULT_PROXY_PROFILE,
  EDITORIAL_PROFILES,
  PROXY_PROFILE_IDS,
  PROXY_PROFILES,
  isProxyProfileId,
  needsPicture,
  profileOfTaskKind,
  proxyRenditionName,
  renderTaskKind,
} from '../src/profiles.ts';
import { parseProxyProfiles, proxyProfileSettings } from '../src/render-settings.ts';

const id = '6f1c2d1e-8c1b-4a53-9a55-2b7d3c9e0f11';

describe('the proxy profile registry', () => {
  it('declares each profile once, with a label, a wrapper and its codecs', () => {
    expect(new Set(PROXY_PROFILE_IDS).size).toBe(PROXY_PROFILES.length);
    expect(PROXY_PROFILE_IDS).toEqual(['review', 'avid', 'premiere']);
    for (const profile of PROXY_PROFILES) {
      expect(profile.label.length).toBeGreaterThan(0);
      expect(['mp4', 'mxf', 'mov']).toContain(profile.extension);
    }
    expect(DEFAULT_PROXY_PROFILE).toBe('review');
    expect(isProxyProfileId('avid')).toBe(true);
    expect(isProxyProfileId('toString')).toBe(false);
  });

  it('says which profiles need a picture and which a production may add', () => {
    expect(PROXY_PROFILE_IDS.filter(needsPicture)).toEqual(['avid', 'premiere']);
    expect(EDITORIAL_PROFILES.map((p) => p.id)).toEqual(['avid', 'premiere']);
  });

  it('names renditions and task kinds, and reads a task kind back', () => {
    expect(PROXY_PROFILE_IDS.map(proxyRenditionName)).toEqual([
      'proxy:review',
      'proxy:avid',
      'proxy:premiere',
    ]);
    expect(PROXY_PROFILE_IDS.map(renderTaskKind)).toEqual(['review', 'proxy:avid', 'proxy:premiere']);
    for (const profile of PROXY_PROFILE_IDS) expect(profileOfTaskKind(renderTaskKind(profile))).toBe(profile);
    expect(['verify', 'probe', 'images', 'proxy:review', 'proxy:'].map(profileOfTaskKind)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('is the list the render job payload and the production settings accept', () => {
    expect(jobDefinitions['clip.render'].payload.shape.output.options).toEqual(PROXY_PROFILE_IDS);
    expect(proxyProfileSettings.shape.id.options).toEqual(PROXY_PROFILE_IDS);
    for (const output of PROXY_PROFILE_IDS) {
      expect(parseJobPayload('clip.render', { clipId: id, output })).toEqual({ clipId: id, output });
    }
    expect(() => parseJobPayload('clip.render', { clipId: id, output: 'hdr' })).toThrow(/output/);
    expect(() => parseProxyProfiles([{ id: 'hdr' }])).toThrow(/id/);
  });
});
