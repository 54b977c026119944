/**
 * Issue #15 part 1 (ARRI, QuickTime): `com.arri.camera.*` keys into the normalized fields, with
 * their provenance; keys not yet verified stay unmapped rather than guessed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.ts';
import { mergeFacts } from '../src/probe/facts.ts';
import { arriQuickTimeFacts } from '../src/probe/ffprobe.ts';
import { mediaFolder, pattern, type MediaFolder } from './support/media.ts';

const KEYS = {
  'com.arri.camera.CameraModel': 'ALEXA Mini LF',
  'com.arri.camera.CameraSerialNumber': '2801234',
  'com.arri.camera.CameraIndex': 'A',
  'com.arri.camera.ReelName': 'A003R2EC',
  'com.arri.camera.SceneName': '12',
  'com.arri.camera.TakeName': '3',
  'com.arri.camera.ExposureIndexAsa': '800',
  'com.arri.camera.WhiteBalanceKelvin': '5600',
  'com.arri.camera.LensType': 'ARRI Signature Prime 47mm',
  'com.arri.camera.ColorGammaSxS': 'LOG-C',
};

describe('ARRI QuickTime keys', () => {
  it('maps each key to its field, citing the key', () => {
    const m = mergeFacts(arriQuickTimeFacts(KEYS));
    expect(m.camera.model).toEqual({
      value: 'ALEXA Mini LF',
      source: 'container',
      detail: 'format.tags.com.arri.camera.CameraModel',
    });
    expect(m.camera.make).toMatchObject({ value: 'ARRI', source: 'container' });
    expect(m.camera.serial?.value).toBe('2801234');
    expect(m.identity).toMatchObject({
      cameraUnit: { value: 'A' },
      reel: { value: 'A003R2EC' },
      scene: { value: '12' },
      take: { value: '3' },
    });
    expect(m.exposure.exposureIndex?.value).toBe(800);
    expect(m.exposure.whiteBalanceK?.value).toBe(5600);
    expect(m.lens.model?.value).toBe('ARRI Signature Prime 47mm');
    expect(m.color.transfer?.value).toBe('LOG-C');
  });

  it('states nothing for empty or non-numeric values, and nothing without ARRI keys', () => {
    const m = mergeFacts(
      arriQuickTimeFacts({ 'com.arri.camera.ExposureIndexAsa': 'n/a', 'com.arri.camera.ReelName': ' ' }),
    );
    expect(m.exposure.exposureIndex).toBeUndefined();
    expect(m.identity.reel).toBeUndefined();
    expect(arriQuickTimeFacts({ encoder: 'Lavf', 'com.apple.quicktime.make': 'Apple' })).toEqual([]);
  });
});

describe('engine: an ffmpeg-made ProRes QuickTime carrying ARRI keys', () => {
  let engine: Engine;
  let media: MediaFolder;
  beforeAll(async () => {
    engine = await Engine.create();
    media = await mediaFolder();
  });
  afterAll(async () => {
    await engine?.close();
    await media?.remove();
  });

  it('reads the keys and derives the LogC3/AWG3 input transform from the gamma', async () => {
    const mov = await media.make('A003C001_261028_R2EC.mov', [
      ...pattern('160x90', '25', 1),
      ...['-c:v', 'prores_ks', '-movflags', 'use_metadata_tags'],
      ...Object.entries(KEYS).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]),
    ]);
    const { metadata: m } = await engine.probe(mov);
    expect(m.camera).toMatchObject({
      make: { value: 'ARRI' },
      model: { value: 'ALEXA Mini LF' },
      serial: { value: '2801234' },
    });
    expect(m.exposure).toMatchObject({ exposureIndex: { value: 800 }, whiteBalanceK: { value: 5600 } });
    expect(m.identity.reel?.value).toBe('A003R2EC');
    expect(m.color.acesInputTransform?.value).toBe('arri_logc3_awg3');
  });
});
