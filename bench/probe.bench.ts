/**
 * Probing a card: BENCH_PROBE_CLIPS ProRes clips (default 20) in one folder, against what a user
 * runs instead — ffprobe on each file and one exiftool over the whole folder (one Perl start, not
 * one per file). Subjects: the engine in process (ffprobe + persistent exiftool + merge, clip
 * after clip) and the `rushes-engine probe` command (a process, as a script runs it). Every
 * subject runs once per round, in turn, for BENCH_PROBE_ROUNDS rounds (default 5); rows give the
 * median per clip with the spread. Goal (issues #3, #22): ≤ 1.2× the hand-run tools, flagged
 * MISSED otherwise.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Engine } from '@rushes/engine';
import { median, spread, type Benchmark, type Row } from './harness.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../packages/engine/dist/cli.js', import.meta.url));
const GOAL = 1.2;

const benchmark: Benchmark = async () => {
  const clips = Number(process.env['BENCH_PROBE_CLIPS'] ?? 20);
  const rounds = Number(process.env['BENCH_PROBE_ROUNDS'] ?? 5);
  const folder = await mkdtemp(path.join(tmpdir(), 'rushes-bench-probe-'));
  const first = path.join(folder, 'A001C001_230512_R1AB.mov');
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=24000/1001:duration=2'],
    ...['-c:v', 'prores_ks', '-profile:v', '0', '-timecode', '01:00:00:00', first],
  ]);
  for (let i = 2; i <= clips; i += 1) {
    await copyFile(first, path.join(folder, `A001C${String(i).padStart(3, '0')}_230512_R1AB.mov`));
  }
  const files = (await readdir(folder)).sort().map((f) => path.join(folder, f));
  const engine = await Engine.create();
  try {
    await engine.probe(first); // start exiftool
    const ffprobe = (file: string) =>
      run(engine.tools.ffprobe.executable, [
        ...['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
      ]);
    const subjects = {
      byHand: async () => {
        for (const file of files) await ffprobe(file);
        await run('exiftool', ['-json', '-G1', '-a', folder], { maxBuffer: 64 * 1024 * 1024 });
      },
      engine: async () => {
        for (const file of files) await engine.probe(file);
      },
      command: () => run(process.execPath, [cli, 'probe', folder, '--json'], { maxBuffer: 64 * 1024 * 1024 }),
    };
    const times: Record<keyof typeof subjects, number[]> = { byHand: [], engine: [], command: [] };
    for (let round = 0; round < rounds; round += 1) {
      for (const [key, work] of Object.entries(subjects)) {
        const started = performance.now();
        await work();
        times[key as keyof typeof subjects].push((performance.now() - started) / clips);
      }
    }
    const name = `probe a card of ${clips} ProRes clips, ${rounds} rounds`;
    const row = (key: keyof typeof subjects, subject: string): Row => {
      const ratio = median(times[key]) / median(times.byHand);
      const goal = key === 'byHand' ? '' : `; goal ≤ ${GOAL}${ratio > GOAL ? ': MISSED' : ''}`;
      return {
        benchmark: name,
        subject: `${subject} (ms a clip: ${spread(times[key], 1)}${goal})`,
        value: median(times[key]),
        unit: 'ms a clip',
        ...(key === 'byHand' ? {} : { ratio }),
      };
    };
    return [
      row('byHand', 'baseline: ffprobe per file + one exiftool over the folder'),
      row('engine', 'rushes engine, in process'),
      row('command', 'rushes-engine probe <folder> --json'),
    ];
  } finally {
    await engine.close();
    await rm(folder, { recursive: true, force: true });
  }
};

export default benchmark;
