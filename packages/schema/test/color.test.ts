/** The colour policy: which input colour space and look a clip's renders get, and from where. */
import { describe, expect, it } from 'vitest';
import { decideColor, INPUT_COLORSPACES, type Look } from '../src/color.ts';
import { colorPipelineSettings } from '../src/render-settings.ts';

const showLook: Look = { slope: [1.1, 1, 0.9], offset: [0, 0, 0.01], power: [1, 1, 1], saturation: 0.9 };
const clipLook: Look = { slope: [1, 1, 1], offset: [0.02, 0, 0], power: [1, 1, 1.1], saturation: 1 };
const rollLook: Look = { slope: [0.9, 0.9, 0.9], offset: [0, 0, 0], power: [1, 1, 1], saturation: 1.2 };
const logC3 = { acesInputTransform: { value: 'arri_logc3_awg3' } };

describe('decideColor', () => {
  it('takes the camera metadata when nothing overrides it, with the production look', () => {
    expect(decideColor({ camera: logC3, production: { look: showLook } })).toEqual({
      input: 'arri_logc3_awg3',
      inputSource: 'camera-metadata',
      look: showLook,
      lookSource: 'production',
      chain: { input: 'arri_logc3_awg3', look: showLook },
    });
  });

  it('uses the production default only where the camera metadata names nothing', () => {
    const production = { inputColorspace: 'sony_slog3_sgamut3cine' as const };
    expect(decideColor({ camera: {}, production })).toMatchObject({
      input: 'sony_slog3_sgamut3cine',
      inputSource: 'production-default',
      chain: { input: 'sony_slog3_sgamut3cine' },
    });
    expect(decideColor({ camera: logC3, production })).toMatchObject({
      input: 'arri_logc3_awg3',
      inputSource: 'camera-metadata',
    });
  });

  it('lets a roll override the camera metadata, and a clip override the roll', () => {
    const roll = { inputColorspace: 'red_log3g10_rwg' as const, look: rollLook };
    expect(decideColor({ camera: logC3, production: { look: showLook }, roll })).toMatchObject({
      input: 'red_log3g10_rwg',
      inputSource: 'roll',
      look: rollLook,
      lookSource: 'roll',
    });
    const clip = { inputColorspace: 'panasonic_vlog_vgamut' as const, look: clipLook };
    expect(decideColor({ camera: logC3, production: { look: showLook }, roll, clip })).toEqual({
      input: 'panasonic_vlog_vgamut',
      inputSource: 'clip',
      look: clipLook,
      lookSource: 'clip',
      chain: { input: 'panasonic_vlog_vgamut', look: clipLook },
    });
  });

  it('takes the input and the look from different levels independently', () => {
    expect(
      decideColor({ camera: logC3, production: { look: showLook }, clip: { look: clipLook } }),
    ).toMatchObject({ inputSource: 'camera-metadata', lookSource: 'clip', look: clipLook });
  });

  it('treats an id renders do not know as the camera saying nothing', () => {
    expect(decideColor({ camera: { acesInputTransform: { value: 'arri_logc9' } } })).toEqual({
      input: null,
      inputSource: 'unknown',
      look: null,
      lookSource: null,
      chain: null,
    });
  });

  it('renders an unknown input colour space as shot when there is no look', () => {
    expect(decideColor({ camera: undefined, production: {} }).chain).toBeNull();
  });

  // Issue #18: the worker dropped the production look when the input colour space was unknown,
  // so the proxy lacked a look the ALE (ASC_SOP) said it had. A look is a creative decision the
  // production made for every proxy; without an input transform the picture is taken as
  // Rec.709 video and the look applied to it, as the engine's command line always did.
  it('keeps the look when the input colour space is unknown: applied to the picture as Rec.709 video', () => {
    expect(decideColor({ camera: {}, production: { look: showLook } })).toEqual({
      input: null,
      inputSource: 'unknown',
      look: showLook,
      lookSource: 'production',
      chain: { input: 'rec709', look: showLook },
    });
  });

  it('leaves the look out of the chain when there is none (a render identity stays what it was)', () => {
    expect(decideColor({ camera: logC3 }).chain).toStrictEqual({ input: 'arri_logc3_awg3' });
  });
});

describe('the production colour pipeline setting', () => {
  it('accepts a default input colour space from the policy ids and refuses others', () => {
    for (const id of INPUT_COLORSPACES) {
      expect(colorPipelineSettings.parse({ inputColorspace: id })).toEqual({ inputColorspace: id });
    }
    expect(colorPipelineSettings.safeParse({ inputColorspace: 'logc9' }).success).toBe(false);
  });
});
