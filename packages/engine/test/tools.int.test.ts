import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { hasFeature, parseFeatureList, requireFeature } from '../src/features.ts';
import { resolveTools } from '../src/tools.ts';

const bundledFfmpeg = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;

describe('media tools', () => {
  it('uses the machine’s ffmpeg and ffprobe when they are on PATH, and says so', async () => {
    const tools = await resolveTools();
    expect(tools.ffmpeg).toMatchObject({ origin: 'path', executable: 'ffmpeg', version: expect.any(String) });
    expect(tools.ffprobe.origin).toBe('path');
  });

  it('refuses a configured executable that does not run, naming it', async () => {
    await expect(resolveTools({ ffmpeg: '/opt/none/ffmpeg' })).rejects.toMatchObject({
      code: 'TOOL_NOT_FOUND',
      message: expect.stringContaining('/opt/none/ffmpeg (from the settings)'),
    });
  });

  it('runs exiftool with Perl at start and reports its version', async () => {
    const { exiftool } = await resolveTools();
    expect(exiftool).toMatchObject({ tool: 'exiftool', origin: 'bundled' });
    expect(exiftool.version).toMatch(/^\d+\.\d+$/);
    expect(exiftool.executable).toMatch(/exiftool-vendored\.pl\/bin\/exiftool$/);
  });

  it('refuses to start without Perl, naming exiftool as the missing tool', async () => {
    await expect(resolveTools({ perl: '/opt/none/perl' })).rejects.toMatchObject({
      code: 'TOOL_NOT_FOUND',
      tool: 'exiftool',
      message: expect.stringMatching(/^exiftool cannot be run: it needs Perl \(\/opt\/none\/perl\)/),
    });
  });

  it('reports what the old bundled build lacks instead of making a wrong file', async () => {
    const { ffmpeg } = await resolveTools({ ffmpeg: bundledFfmpeg });
    expect(ffmpeg.version).toMatch(/^N-/);
    expect(await hasFeature(ffmpeg, 'encoder', 'prores_ks')).toBe(true);
    await expect(requireFeature(ffmpeg, 'encoder', 'exr')).rejects.toMatchObject({
      code: 'UNSUPPORTED_FEATURE',
      message: expect.stringContaining('has no encoder "exr"'),
    });
    const system = (await resolveTools()).ffmpeg;
    await expect(requireFeature(system, 'encoder', 'exr')).resolves.toBeUndefined();
  });
});

describe('feature lists', () => {
  it('parses encoders and filters', () => {
    const encoders =
      'Encoders:\n V..... = Video\n ------\n V....D prores_ks            Apple ProRes (iCodec Pro) (codec prores)\n A....D pcm_s24le  PCM\n';
    expect(parseFeatureList('encoder', encoders)).toEqual(new Set(['prores_ks', 'pcm_s24le']));
    const filters =
      'Filters:\n  T.. = Timeline support\n ... lut3d             V->V       Adjust colors using a 3D LUT.\n T.C scale             V->V       Scale the input video size.\n';
    expect(parseFeatureList('filter', filters)).toEqual(new Set(['lut3d', 'scale']));
  });
});
