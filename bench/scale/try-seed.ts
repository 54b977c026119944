/**
 * `node bench/scale/try-seed.ts [clips]` (default 20,000): seeds a fresh database with
 * seedScale and checks what it wrote — clips per roll; every clip's typed columns against what
 * the worker's `clipColumns` derives from its metadata document (timecodes, drop-frame start
 * frames, camera, colour space…); the document against its schema; the end timecode against
 * start + duration; and the sample filters against a count in JavaScript. Not a benchmark.
 */
import { listClips } from '@rushes/data/clips';
import { createDatabase } from '@rushes/data/db';
import { normalizedClipMetadata, type NormalizedClipMetadata } from '@rushes/schema/metadata';
import {
  framesFromFields,
  frameRate,
  parseTimecode,
  parseTimecodeFields,
  wrapFrames,
} from '@rushes/timecode';
import { clipColumns } from '../../apps/worker/src/jobs/clip-probe.handler.ts';
import { openServer } from '../harness.ts';
import { seedScale } from './seed.ts';

const count = Number(process.argv[2] ?? 20_000);
const server = openServer();
const problems: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok && problems.push(what) <= 20) console.error(`✗ ${what}`);
};
try {
  const url = await server.context.createDatabase();
  const { db, pool } = createDatabase(url, { max: 2, applicationName: 'scale-try', onIdleError: () => {} });
  const started = performance.now();
  const seed = await seedScale(pool, { clips: count });
  console.log(`seeded ${count} clips in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(seed.samples);

  const perRoll = await pool.query<{ n: number; rolls: number }>(
    `select n, count(*)::int as rolls from (select count(c.id)::int as n from rolls r
       left join clips c on c.roll_id = r.id group by r.id) x group by n order by n`,
  );
  console.log('clips per roll → rolls:', perRoll.rows.map((r) => `${r.n}→${r.rolls}`).join(', '));
  const states = await pool.query(`select state, count(*)::int from clips group by state order by 1`);
  console.log('states:', states.rows.map((r) => `${r.state} ${r.count}`).join(', '));
  const rates = await pool.query(
    `select fps_num || '/' || fps_den || (case when (metadata->'time'->'dropFrame'->>'value')::boolean
       then ' DF' else '' end) as rate, count(*)::int from clips group by 1 order by 1`,
  );
  console.log('rates:', rates.rows.map((r) => `${r.rate} ${r.count}`).join(', '));
  const cameras = await pool.query(`select camera, count(*)::int from clips group by 1 order by 1`);
  console.log('cameras:', cameras.rows.map((r) => `${r.camera} ${r.count}`).join(', '));

  // Every clip: typed columns as the worker derives them from the document.
  const { rows } = await pool.query<Record<string, unknown> & { metadata: NormalizedClipMetadata }>(
    `select file_name, camera, reel, start_timecode, end_timecode, start_frame::int, duration_frames, fps_num,
       fps_den, width, height, codec, color_space, recorded_at, metadata from clips`,
  );
  for (const [i, row] of rows.entries()) {
    const m = row.metadata;
    if (i < 200) {
      const parsed = normalizedClipMetadata.safeParse(m);
      check(parsed.success, `${row.file_name}: document does not parse: ${parsed.error?.message}`);
    }
    const want = clipColumns(m);
    const got = {
      camera: row.camera,
      reel: row.reel,
      startTimecode: row.start_timecode,
      endTimecode: row.end_timecode,
      startFrame: row.start_frame,
      durationFrames: row.duration_frames,
      fpsNum: row.fps_num,
      fpsDen: row.fps_den,
      width: row.width,
      height: row.height,
      codec: row.codec,
      colorSpace: row.color_space,
      recordedAt: row.recorded_at,
    };
    for (const [key, value] of Object.entries(want)) {
      const actual = got[key as keyof typeof got];
      const same = value instanceof Date ? value.getTime() === (actual as Date).getTime() : value === actual;
      check(same, `${row.file_name}: ${key} is ${String(actual)}, clipColumns says ${String(value)}`);
    }
    const rate = frameRate(want.fpsNum!, want.fpsDen!, m.time.dropFrame?.value ?? false);
    const end = parseTimecode(row.end_timecode as string, rate);
    check(
      end === wrapFrames(want.startFrame! + want.durationFrames!, rate),
      `${row.file_name}: end ${String(row.end_timecode)} is not start + duration`,
    );
    check(end > want.startFrame!, `${row.file_name}: wraps past midnight`);
  }
  // Clips of a roll follow each other, in clip-number order.
  const [overlap] = (
    await pool.query<{ n: number }>(
      `select count(*)::int as n from (select start_frame, lag(start_frame + duration_frames)
         over (partition by roll_id order by file_name) as previous_end from clips) x
       where start_frame < previous_end`,
    )
  ).rows;
  check(overlap!.n === 0, `${overlap!.n} clips start before the previous clip of their roll ended`);

  // The sample timecode: the filter's matches against a count in JavaScript.
  const s = seed.samples;
  const fields = parseTimecodeFields(s.timecode);
  const inRange = (row: (typeof rows)[number]) => {
    const df = row.metadata.time.dropFrame?.value ?? false;
    let at: number;
    try {
      at = framesFromFields(fields, frameRate(row.fps_num as number, row.fps_den as number, df));
    } catch {
      return false;
    }
    return (
      (row.start_frame as number) <= at && at < (row.start_frame as number) + (row.duration_frames as number)
    );
  };
  const expected = rows.filter(inRange);
  const listed = await listClips(db, {
    productionId: seed.productionId,
    filter: { timecode: s.timecode },
    page: { limit: 500 },
  });
  const counted = (await listed.count()).value;
  console.log(`timecode ${s.timecode}: ${counted} clips (JavaScript: ${expected.length})`);
  check(counted === expected.length, `timecode filter counts ${counted}, JavaScript ${expected.length}`);
  const atReel = await listClips(db, {
    productionId: seed.productionId,
    filter: { reel: s.reel, timecode: s.timecode },
    page: { limit: 10 },
  });
  check(
    atReel.rows.length === 1 && atReel.rows[0]!.fileName === s.timecodeClip,
    `reel + timecode finds ${atReel.rows.map((r) => r.fileName).join(', ')}, not ${s.timecodeClip}`,
  );
  for (const [name, filter] of Object.entries({
    range: { timecodeFrom: s.timecodeFrom, timecodeTo: s.timecodeTo },
    cameraMake: { cameraMake: s.cameraMake },
    cameraModel: { cameraModel: s.cameraModel },
    cameraSerial: { cameraSerial: s.cameraSerial },
    lens: { lens: s.lens },
    codec: { codec: s.codec },
    frameRate: { frameRate: s.frameRate },
    colorSpace: { colorSpace: s.colorSpace },
    states: { states: s.states },
    recorded: { recordedFrom: s.recordedFrom, recordedTo: s.recordedTo },
    size: { width: s.width, height: s.height },
    text: { text: s.text },
  })) {
    const found = await listClips(db, { productionId: seed.productionId, filter, page: { limit: 1 } });
    const n = (await found.count()).value;
    console.log(`${name}: ${n} clips`);
    check(n > 0, `${name} matches nothing`);
  }
  await pool.end();
} finally {
  await server.close();
}
console.log(problems.length ? `${problems.length} problems` : 'all checks passed');
process.exitCode = problems.length ? 1 : 0;
