/**
 * Issue #15 part 3, "nothing invented": a value the file does not state is absent. Pure cases on
 * ffprobe/exiftool output shapes, then the engine on real samples and ffmpeg-made media.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.ts';
import { exiftoolFacts } from '../src/probe/exiftool-facts.ts';
import { mergeFacts } from '../src/probe/facts.ts';
import { ffprobeFacts, isImageDemuxer, streamFrameRate, type FfprobeOutput } from '../src/probe/ffprobe.ts';
import { mediaFolder, pattern, type MediaFolder } from './support/media.ts';

const samples = path.resolve(import.meta.dirname, '../../../../shared/samples');

describe('streamFrameRate', () => {
  it('takes r_frame_rate when the frame count and duration agree', () => {
    expect(
      streamFrameRate({
        index: 0,
        r_frame_rate: '24000/1001',
        avg_frame_rate: '2160000/90091',
        time_base: '1/90000',
        nb_frames: '24',
        duration: '1.001000',
      }),
    ).toEqual({ rate: { num: 24000, den: 1001 }, detail: 'streams[0].r_frame_rate' });
  });

  it('rejects a QuickTime timescale given as r_frame_rate (90000) and uses the measured average', () => {
    expect(
      streamFrameRate({
        index: 0,
        r_frame_rate: '90000/1',
        avg_frame_rate: '2160000/90091',
        time_base: '1/90000',
        nb_frames: '24',
        duration: '1.001000',
      }),
    ).toEqual({ rate: { num: 24000, den: 1001 }, detail: 'streams[0].avg_frame_rate' });
  });

  it('rejects a 600 timescale with no frame count, and falls back to nb_frames ÷ duration', () => {
    expect(streamFrameRate({ index: 1, r_frame_rate: '600/1', time_base: '1/600' })).toBeUndefined();
    expect(
      streamFrameRate({
        index: 1,
        r_frame_rate: '600/1',
        avg_frame_rate: '0/0',
        nb_frames: '50',
        duration: '2',
      }),
    ).toEqual({ rate: { num: 25, den: 1 }, detail: 'streams[1].nb_frames ÷ streams[1].duration' });
  });

  it('keeps a real high rate the frame count confirms, and a plain MXF rate with no count', () => {
    expect(
      streamFrameRate({
        index: 0,
        r_frame_rate: '240/1',
        time_base: '1/240',
        nb_frames: '480',
        duration: '2',
      })?.rate,
    ).toEqual({ num: 240, den: 1 });
    expect(
      streamFrameRate({ index: 0, r_frame_rate: '25/1', avg_frame_rate: '25/1', time_base: '1/25' })?.rate,
    ).toEqual({ num: 25, den: 1 });
    expect(streamFrameRate({ index: 0, r_frame_rate: '0/0', avg_frame_rate: '0/0' })).toBeUndefined();
  });
});

describe('ffprobe facts', () => {
  it('recognizes image demuxers', () => {
    expect(['image2', 'exr_pipe', 'dpx_pipe', 'tiff_pipe', 'png_pipe'].map(isImageDemuxer)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['mov,mp4,m4a,3gp,3g2,mj2', 'mxf', 'dv', 'mpegts'].map(isImageDemuxer)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('states no rate, duration or frame count for a still read by an image demuxer', () => {
    const output: FfprobeOutput = {
      format: { format_name: 'tiff_pipe', duration: '0.040000', size: '9000' },
      streams: [
        {
          index: 0,
          codec_type: 'video',
          codec_name: 'tiff',
          width: 64,
          height: 48,
          r_frame_rate: '25/1',
          avg_frame_rate: '25/1',
          nb_frames: '1',
          pix_fmt: 'rgb24',
        },
      ],
    };
    const m = mergeFacts(ffprobeFacts(output));
    expect(m.picture.frameRate).toBeUndefined();
    expect(m.time.durationSeconds).toBeUndefined();
    expect(m.time.durationFrames).toBeUndefined();
    expect(m.picture.width?.value).toBe(64);
  });

  it('leaves an AC-3 sample rate of 0 (unknown) absent', () => {
    const m = mergeFacts(
      ffprobeFacts({
        format: { format_name: 'mpegts' },
        streams: [{ index: 1, codec_type: 'audio', codec_name: 'ac3', sample_rate: '0', channels: 6 }],
      }),
    );
    expect(m.audio.sampleRateHz).toBeUndefined();
    expect(m.audio.channels?.value).toBe(6);
  });

  it('states DV video as 8-bit by its specification, and not the decoder’s 16-bit audio', () => {
    const m = mergeFacts(
      ffprobeFacts({
        format: { format_name: 'dv' },
        streams: [
          { index: 0, codec_type: 'video', codec_name: 'dvvideo', pix_fmt: 'yuv420p', r_frame_rate: '25/1' },
          {
            index: 1,
            codec_type: 'audio',
            codec_name: 'pcm_s16le',
            sample_rate: '32000',
            bits_per_sample: 16,
            channels: 2,
          },
        ],
      }),
    );
    expect(m.picture.bitDepth).toEqual({
      value: 8,
      source: 'stream',
      detail: 'streams[0].codec_name dvvideo: 8-bit by the DV specification',
    });
    expect(m.audio.bitDepth).toBeUndefined();
  });
});

describe('exiftool facts', () => {
  it('does not read an image’s BitsPerSample (TIFF/DNG/CR3 IFD0) as an audio bit depth', () => {
    const m = mergeFacts(
      exiftoolFacts({ 'IFD0:BitsPerSample': '8 8 8', 'IFD0:Model': 'DNG camera', 'RIFF:BitsPerSample': 24 }),
    );
    expect(m.audio.bitDepth).toEqual({ value: 24, source: 'exiftool', detail: 'RIFF:BitsPerSample' });
    const still = mergeFacts(exiftoolFacts({ 'IFD0:BitsPerSample': '16', 'ExifIFD:SampleRate': 48000 }));
    expect(still.audio).toEqual({});
  });
});

describe('engine: nothing invented', () => {
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

  it('a TIFF still: no frame rate, no duration, no audio bit depth', async () => {
    const still = await media.make('frame.tif', [...pattern('64x48', '25', 0.04), '-frames:v', '1']);
    const { metadata: m } = await engine.probe(still);
    expect(m.picture.width?.value).toBe(64);
    expect(m.picture.frameRate).toBeUndefined();
    expect(m.time.durationSeconds).toBeUndefined();
    expect(m.time.durationFrames).toBeUndefined();
    expect(m.audio).toEqual({});
  });

  it('the real EXR still: no made-up 25 fps', async () => {
    const { metadata: m } = await engine.probe(path.join(samples, 'exr/exiftool_OpenEXR.exr'));
    expect(m.picture.width?.value).toBe(3);
    expect(m.picture.frameRate).toBeUndefined();
    expect(m.time.durationSeconds).toBeUndefined();
  });

  it('the real DV: 8-bit video by the spec, 12-bit audio as its header states, 25 fps', async () => {
    const { metadata: m } = await engine.probe(path.join(samples, 'camera/exiftool_DV.dv'));
    expect(m.picture.bitDepth?.value).toBe(8);
    expect(m.picture.bitDepth?.detail).toMatch(/DV specification/);
    expect(m.audio.bitDepth).toMatchObject({
      value: 12,
      source: 'exiftool',
      detail: 'DV:AudioBitsPerSample',
    });
    expect(m.audio.sampleRateHz?.value).toBe(32000);
    expect(m.picture.frameRate?.value).toEqual({ num: 25, den: 1 });
  });

  it('a QuickTime with a 90000 timescale reports its 23.976 rate', async () => {
    const mov = await media.make('ts90k.mov', [
      ...pattern('160x90', '24000/1001', 1),
      ...['-c:v', 'libx264', '-video_track_timescale', '90000'],
    ]);
    const { metadata: m } = await engine.probe(mov);
    expect(m.picture.frameRate?.value).toEqual({ num: 24000, den: 1001 });
  });
});
