/**
 * Probe latency: our probe (ffprobe + persistent exiftool + merge) against running ffprobe and
 * exiftool by hand on the same file, one after the other, as a script would. Goal (issue #3):
 * ≤ 1.2× the hand-run tools.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Engine } from '@rushes/engine';
import type { Benchmark } from './harness.ts';

const run = promisify(execFile);

async function median(times: number, work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

const benchmark: Benchmark = async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'rushes-bench-probe-'));
  const file = path.join(folder, 'A001C003_230512_R1AB.mov');
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=24000/1001:duration=2'],
    ...['-c:v', 'prores_ks', '-profile:v', '0', '-timecode', '01:00:00:00', file],
  ]);
  const engine = await Engine.create();
  try {
    await engine.probe(file); // start exiftool
    const ffprobe = () =>
      run(engine.tools.ffprobe.executable, [
        '-v',
        'error',
        '-print_format',
        'json',
        '-show_format',
        '-show_streams',
        file,
      ]);
    const byHand = await median(15, async () => {
      await ffprobe();
      await run('exiftool', ['-json', '-G1', '-a', file]);
    });
    const ffprobeAlone = await median(15, ffprobe);
    const ours = await median(15, () => engine.probe(file));
    return [
      {
        benchmark: 'probe a ProRes MOV',
        subject: 'baseline: ffprobe then exiftool by hand',
        value: byHand,
        unit: 'ms',
      },
      {
        benchmark: 'probe a ProRes MOV',
        subject: 'baseline: ffprobe alone',
        value: ffprobeAlone,
        unit: 'ms',
      },
      {
        benchmark: 'probe a ProRes MOV',
        subject: 'rushes probe + normalize',
        value: ours,
        unit: 'ms',
        ratio: ours / byHand,
      },
    ];
  } finally {
    await engine.close();
    await rm(folder, { recursive: true, force: true });
  }
};

export default benchmark;
