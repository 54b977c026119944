import { describe, expect, it } from 'vitest';
import { EngineError } from '../src/errors.ts';
import { run } from '../src/process/run.ts';
import { parseFfmpegVersion } from '../src/tools.ts';

const node = (script: string) => ({ tool: 'node', executable: process.execPath, args: ['-e', script] });

describe('run', () => {
  it('returns stdout and stderr of a process that exits 0', async () => {
    await expect(run(node('process.stdout.write("out"); process.stderr.write("err")'))).resolves.toEqual({
      stdout: 'out',
      stderr: 'err',
    });
  });

  it('reports a non-zero exit with the tail of stderr', async () => {
    const error = await run(node('console.error("bad frame"); process.exit(3)')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ code: 'TOOL_FAILED', tool: 'node', retryable: false });
    expect((error as Error).message).toBe('node exited with status 3: bad frame');
  });

  it('reports a missing executable as TOOL_NOT_FOUND', async () => {
    const error = await run({ tool: 'ffmpeg', executable: '/nonexistent/ffmpeg', args: [] }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TOOL_NOT_FOUND', tool: 'ffmpeg' });
  });

  it('kills a process that outlives its timeout, as a retryable failure', async () => {
    const error = await run(node('setTimeout(() => {}, 10000)'), { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('kills a process when its signal aborts', async () => {
    const controller = new AbortController();
    const running = run(node('setTimeout(() => {}, 10000)'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(run(node(''), { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('parseFfmpegVersion', () => {
  it('reads the version of Debian, static and git builds', () => {
    expect(parseFfmpegVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2025')).toBe(
      '5.1.9-0+deb12u1',
    );
    expect(parseFfmpegVersion('ffprobe version N-112345-gabcdef Copyright')).toBe('N-112345-gabcdef');
    expect(parseFfmpegVersion('something else')).toBeNull();
  });
});
