import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.ts';
import { P2_CLIP, SONY_NRT } from './support/camera-xml.ts';
import { addDpxTelevisionHeader, mediaFolder, pattern, tone, type MediaFolder } from './support/media.ts';

const samples = path.resolve(import.meta.dirname, '../../../../shared/samples');
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

describe('camera XML beside the clip, probed with the real tools', () => {
  it('reads a Sony M01.XML beside an XAVC clip in PRIVATE/M4ROOT/CLIP', async () => {
    await mkdir(path.join(media.dir, 'PRIVATE/M4ROOT/CLIP'), { recursive: true });
    const clip = await media.make('PRIVATE/M4ROOT/CLIP/C0001.MP4', [
      ...pattern('320x180', '25', 1),
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p'],
    ]);
    await media.text('PRIVATE/M4ROOT/CLIP/C0001M01.XML', SONY_NRT);
    const { metadata: m, problems, raw } = await engine.probe(clip);
    expect(problems).toEqual([]);
    expect(raw.cameraXml?.kind).toBe('sony-nrt');
    expect(m.camera.model).toMatchObject({ value: 'ILME-FX6V', source: 'sidecar' });
    expect(m.camera.serial?.value).toBe('5012345');
    expect(m.lens.model?.value).toBe('FE 24-70mm F2.8 GM II');
    expect(m.time.startTimecode).toMatchObject({ value: '19:57:30:17', source: 'sidecar' });
    expect(m.color.acesInputTransform?.value).toBe('sony_slog3_sgamut3cine');
    // The stream's own facts outrank the sidecar's; the disagreement stays visible.
    expect(m.picture.width).toMatchObject({ value: 320, source: 'stream' });
    expect(m.picture.width?.conflicts).toEqual([
      { value: 3840, source: 'sidecar', detail: 'C0001M01.XML VideoLayout@pixel' },
    ]);
  });

  it('reads the P2 clip XML in CONTENTS/CLIP for the video and audio MXF files', async () => {
    await mkdir(path.join(media.dir, 'CONTENTS/VIDEO'), { recursive: true });
    await mkdir(path.join(media.dir, 'CONTENTS/AUDIO'), { recursive: true });
    await mkdir(path.join(media.dir, 'CONTENTS/CLIP'), { recursive: true });
    const video = await media.make('CONTENTS/VIDEO/0001AB.MXF', [
      ...pattern('320x180', '24000/1001', 1),
      ...['-c:v', 'mpeg2video', '-timecode', '14:02:11:05'],
    ]);
    // P2 audio is OP-Atom: one MXF per channel.
    const audio = await media.make('CONTENTS/AUDIO/0001AB00.MXF', [
      ...tone(1),
      ...['-c:a', 'pcm_s24le', '-f', 'mxf_opatom'],
    ]);
    await media.text('CONTENTS/CLIP/0001AB.XML', P2_CLIP);
    const v = await engine.probe(video);
    expect(v.problems).toEqual([]);
    expect(v.metadata.camera.model).toMatchObject({ value: 'AU-V35C1G', source: 'sidecar' });
    expect(v.metadata.camera.serial?.value).toBe('B5TDA0123');
    // The MXF's timecode track and the clip XML agree: no conflict from the sidecar.
    expect(v.metadata.time.startTimecode).toMatchObject({ value: '14:02:11:05', source: 'container' });
    expect(v.metadata.time.startTimecode?.conflicts?.filter((c) => c.source === 'sidecar') ?? []).toEqual([]);
    expect(v.metadata.color.acesInputTransform?.value).toBe('panasonic_vlog_vgamut');
    const a = await engine.probe(audio);
    expect(a.metadata.identity.scene).toMatchObject({ value: '12', source: 'sidecar' });
    expect(a.metadata.camera.model?.value).toBe('AU-V35C1G');
  });

  it('reports an unreadable sidecar as a problem and still probes the clip', async () => {
    await mkdir(path.join(media.dir, 'XDROOT/Clip'), { recursive: true });
    const clip = await media.make('XDROOT/Clip/C0002.MXF', [
      ...pattern('320x180', '25', 1),
      ...['-c:v', 'mpeg2video'],
    ]);
    await media.text('XDROOT/Clip/C0002M01.XML', '<NonRealTimeMeta><Duration value="25"/>');
    const { metadata: m, problems } = await engine.probe(clip);
    expect(problems).toEqual([expect.stringMatching(/^camera XML: C0002M01\.XML: not well-formed XML/)]);
    expect(m.camera.model).toBeUndefined();
    expect(m.picture.width?.value).toBe(320);
  });
});

describe('a single DPX file', () => {
  it('states its image and television header fields (it used to get none)', async () => {
    const file = await media.make('A002C003_0001000.dpx', [
      ...pattern('320x180', '24', 0.04),
      '-frames:v',
      '1',
    ]);
    await addDpxTelevisionHeader(file, '07:08:09:10', 24);
    const { metadata: m, raw } = await engine.probe(file);
    expect(raw.dpx?.timecode).toBe('07:08:09:10');
    expect(m.time.startTimecode).toMatchObject({ value: '07:08:09:10', source: 'sequence' });
    expect(m.picture.width?.value).toBe(320);
    expect(m.picture.bitDepth?.value).toBeGreaterThan(0);
    expect(m.picture.frameRate).toMatchObject({ value: { num: 24, den: 1 }, source: 'sequence' });
  });

  it('states no timecode or rate for a DPX without film and television headers', async () => {
    const file = await media.make('plain.dpx', [...pattern('160x90', '24', 0.04), '-frames:v', '1']);
    const { metadata: m } = await engine.probe(file);
    expect(m.time.startTimecode).toBeUndefined();
    expect(m.picture.frameRate).toBeUndefined();
    expect(m.picture.width).toMatchObject({ value: 160 });
  });
});

describe('real BWF samples keep their timecode', () => {
  it.each([
    ['bwf/sounddevices_A101_1.WAV', '12:39:59:00'],
    ['bwf/zoomF8_Scene_1_2AG-T001_Tr1.WAV', '22:40:10:00'],
  ])('%s starts at %s', async (file, tc) => {
    const { metadata: m } = await engine.probe(path.join(samples, file));
    expect(m.time.startTimecode?.value).toBe(tc);
    expect(m.picture.frameRate?.detail).toBe('iXML SPEED/TIMECODE_RATE');
  });
});
