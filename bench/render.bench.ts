/**
 * The review proxy + images job (issue #4) on a 1080p, 10 s ProRes 422 HQ LogC3 source:
 *   rushes      engine.render: one ffmpeg, one decode, split graph (proxy, poster, thumbnail, strip)
 *   baseline a  the same single ffmpeg command typed by hand
 *   baseline b  separate passes for proxy, poster, thumbnail and strip, as a script would
 * Goal: ≤ 1.05× (a), faster than (b). Also prints × real time.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_IMAGES, Engine, cubeFile, renderSourceFrom, resolveProfile } from '@rushes/engine';
import { median, type Benchmark, type Row } from './harness.ts';

const run = promisify(execFile);
const SECONDS = 10;

const benchmark: Benchmark = async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'rushes-bench-render-'));
  const file = path.join(folder, 'A001C003_230512_R1AB.mov');
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=24000/1001:duration=${SECONDS}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`, '-ac', '2'],
    ...['-c:v', 'prores_ks', '-profile:v', '3', '-pix_fmt', 'yuv422p10le', '-c:a', 'pcm_s24le'],
    ...['-timecode', '01:00:00:00', file],
  ]);
  const engine = await Engine.create();
  try {
    const { metadata } = await engine.probe(file);
    const source = renderSourceFrom(metadata, { kind: 'file', path: file }, 'A001C003');
    const job = {
      proxy: resolveProfile('review'),
      images: DEFAULT_IMAGES,
      color: { input: 'arri_logc3_awg3' as const },
    };
    const [toCct, toDisplay] = [await cubeFile('arri_logc3_awg3'), await cubeFile('acescct_to_rec709')];
    const font = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
    const color = `lut3d=file=${toCct}:interp=tetrahedral,lut3d=file=${toDisplay}:interp=tetrahedral`;
    const rgb = (w: number, h: number) =>
      `scale=${w}:${h}:in_color_matrix=bt709:in_range=tv,format=gbrp16le,${color}`;
    const yuv = (format: string, range: string) =>
      `scale=out_color_matrix=bt709:out_range=${range},format=${format}`;
    const burn =
      `drawtext=fontfile=${font}:fontsize=46:fontcolor=white:box=1:boxcolor=black@0.55:text=A001C003:x=23:y=23,` +
      `drawtext=fontfile=${font}:fontsize=46:fontcolor=white:box=1:boxcolor=black@0.55:timecode=01\\\\:00\\\\:00\\\\:00:rate=24000/1001:x=23:y=h-th-23`;
    // Typed as a person would: words split on spaces, files appended.
    const words = (text: string) => text.split(' ');
    const x264 = words(
      '-c:v libx264 -profile:v high -preset veryfast -crf 21 -pix_fmt yuv420p -movflags +faststart',
    );
    const aac = words('-c:a aac -b:a 192k -ac 2');
    const out = (name: string) => path.join(folder, 'out', name);
    await mkdir(path.join(folder, 'out'), { recursive: true });
    const ffmpeg = (...args: string[]) => run('ffmpeg', ['-y', '-v', 'error', ...args]);

    const byHand = () =>
      ffmpeg(
        '-i',
        file,
        '-filter_complex',
        `[0:v]split[m][t];[m]${rgb(1920, 1080)},split[p][i];[p]${yuv('yuv420p', 'tv')},${burn}[proxy];` +
          `[i]select='eq(n,0)+eq(n,120)',split[po][th];[po]${yuv('yuvj420p', 'pc')}[poster];[th]scale=320:-2,${yuv('yuvj420p', 'pc')}[thumb];` +
          `[t]select='not(mod(n,12))',${rgb(160, 90)},${yuv('yuvj420p', 'pc')},tile=20x1:overlap=19:init_padding=19[strip]`,
        ...words('-map [proxy] -map 0:a'),
        ...x264,
        ...aac,
        out('hand.mp4'),
        ...words('-map [poster] -update 1'),
        out('hand-poster.jpg'),
        ...words('-map [thumb] -update 1'),
        out('hand-thumb.jpg'),
        ...words('-map [strip] -update 1'),
        out('hand-strip.jpg'),
      );
    /** One frame from the middle, at a size. */
    const still = (width: number, height: number, name: string) =>
      ffmpeg(
        '-ss',
        '5',
        '-i',
        file,
        '-vf',
        `${rgb(width, height)},${yuv('yuvj420p', 'pc')}`,
        '-frames:v',
        '1',
        out(name),
      );
    const separately = async () => {
      await ffmpeg(
        '-i',
        file,
        '-vf',
        `${rgb(1920, 1080)},${yuv('yuv420p', 'tv')},${burn}`,
        ...x264,
        ...aac,
        out('sep.mp4'),
      );
      await still(1920, 1080, 'sep-poster.jpg');
      await still(320, 180, 'sep-thumb.jpg');
      await ffmpeg(
        '-i',
        file,
        '-vf',
        `select='not(mod(n,12))',${rgb(160, 90)},${yuv('yuvj420p', 'pc')},tile=20x1`,
        ...words('-frames:v 1'),
        out('sep-strip.jpg'),
      );
    };
    const ours = () => engine.render(source, job, { outDir: path.join(folder, 'out'), baseName: 'ours' });

    const time = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return (performance.now() - started) / 1000;
    };
    const samples = { hand: [] as number[], separate: [] as number[], ours: [] as number[] };
    for (let round = 0; round < 3; round += 1) {
      samples.hand.push(await time(byHand));
      samples.ours.push(await time(ours));
      samples.separate.push(await time(separately));
    }
    const [hand, separate, rushes] = [median(samples.hand), median(samples.separate), median(samples.ours)];
    const name = 'review proxy + images, 1080p 10 s ProRes HQ';
    const rows: Row[] = [
      { benchmark: name, subject: 'baseline a: one ffmpeg command by hand', value: hand, unit: 's' },
      { benchmark: name, subject: 'baseline b: separate passes', value: separate, unit: 's' },
      { benchmark: name, subject: 'rushes render (vs a)', value: rushes, unit: 's', ratio: rushes / hand },
      {
        benchmark: name,
        subject: 'rushes render (vs b)',
        value: rushes,
        unit: 's',
        ratio: rushes / separate,
      },
      { benchmark: name, subject: 'rushes render speed', value: SECONDS / rushes, unit: '× real time' },
    ];
    return rows;
  } finally {
    await engine.close();
    await rm(folder, { recursive: true, force: true });
  }
};

export default benchmark;
