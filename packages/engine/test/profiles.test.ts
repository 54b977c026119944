/** The engine's proxy profiles are the registry's: each id resolves, with the registry's facts. */
import { PROXY_PROFILES } from '@rushes/schema/profiles';
import { describe, expect, it } from 'vitest';
import { ACES_INPUT_TRANSFORMS } from '../src/probe/color-ids.ts';
import { COLORSPACES, isColorspaceId } from '../src/color/colorspaces.ts';
import { INPUT_COLORSPACES } from '@rushes/schema/color';
import { audioCodecArgs, outputPixelFormat, resolveProfile, videoCodecArgs } from '../src/render/profiles.ts';

describe('engine profiles', () => {
  it.each(PROXY_PROFILES.map((p) => [p.id, p] as const))(
    '%s: resolves with the registry wrapper and encodes the registry audio codec',
    (id, facts) => {
      const profile = resolveProfile(id);
      expect(profile.id).toBe(id);
      expect(profile.extension).toBe(facts.extension);
      const audio = audioCodecArgs(profile, 2);
      expect(audio[audio.indexOf('-c:a') + 1]).toBe(facts.audioCodec);
      expect(videoCodecArgs(profile, { num: 25, den: 1 })).toContain('-c:v');
      expect(outputPixelFormat(profile)).toMatch(/^yuv4[02]{2}p/);
    },
  );

  it('knows exactly the input colour spaces of the colour policy', () => {
    expect(ACES_INPUT_TRANSFORMS).toBe(INPUT_COLORSPACES);
    expect(COLORSPACES.map((c) => c.id)).toEqual([...INPUT_COLORSPACES]);
    expect(isColorspaceId('rec709')).toBe(true);
    expect(isColorspaceId('arri_logc9')).toBe(false);
  });
});
