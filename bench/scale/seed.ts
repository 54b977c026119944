/**
 * A production at scale for the query benchmarks (issue 22): one production (code SCALE),
 * `clips / 1000` camera rolls (at least 10) and `clips` clips as the worker leaves them after
 * probe — typed columns and the normalized metadata document agreeing as `clipColumns` derives
 * them — inserted by PostgreSQL itself (INSERT … SELECT over generate_series, whole rolls per
 * statement, two at once, indexes built after), so a million clips take minutes, not hours.
 *
 * Values are deterministic (hashes of the clip number, not random()), so a seed is repeatable:
 * six cameras with their serials, lenses, codecs and colour encodings; 23.976 / 24 / 25 /
 * 29.97 DF / 50 fps rolls; clips of 100–5,000 frames following each other through a shooting day
 * (gaps of 1–10 s; a roll of 1,000 ends by 21:10 at the latest, never past midnight), over 100
 * shooting days; 2 % failed, 1 % partial.
 */
import { apiKeyPrefix } from '@rushes/api/sessions';
import { hashSecret, newSecret } from '@rushes/schema/credentials';
import type { MetadataSource, NormalizedClipMetadata } from '@rushes/schema/metadata';
import pg from 'pg';

/** What the query benchmark needs to know about the seeded production. */
export interface ScaleSeed {
  /** Database id of the production (`productions.id`). */
  productionId: string;
  /** Database ids of the rolls, in reel order of creation. */
  rollIds: string[];
  clips: number;
  /** A vendor API key for the production (`Authorization: Bearer …`). */
  token: string;
  /** Filter values that match something, for the queries. */
  samples: {
    reel: string;
    /** Database id of the sample reel's roll. */
    rollId: string;
    /** A timecode inside `timecodeClip` (a clip of `reel`), at that clip's rate. */
    timecode: string;
    /** File name of the one clip of `reel` whose range contains `timecode`. */
    timecodeClip: string;
    /** One minute of the shooting day (`HH:MM:10:00` to a minute later): clips of many rolls. */
    timecodeFrom: string;
    timecodeTo: string;
    cameraMake: string;
    cameraModel: string;
    cameraSerial: string;
    lens: string;
    codec: string;
    frameRate: number;
    colorSpace: string;
    states: string[];
    recordedFrom: Date;
    recordedTo: Date;
    width: number;
    height: number;
    /** A fragment of file names (`C0500_`: clip 500 of every roll). */
    text: string;
    /** A clip name (file name without extension) for `search(text:)`. */
    clipName: string;
  };
}

interface Camera {
  letter: string;
  make: string;
  model: string;
  serial: string;
  /** exiftool tag the serial comes from. */
  serialTag: string;
  /** Camera id in the clip names (`…_261120_R1AB`). */
  code: string;
  codec: string;
  ext: string;
  width: number;
  height: number;
  bitDepth: number;
  gamut: string;
  transfer: string;
  aces: string;
  /** Bytes per frame of the original, roughly. */
  bytesPerFrame: number;
  iso: number;
  audioChannels: number;
  lenses: string[];
}

const CAMERAS: Camera[] = [
  {
    letter: 'A',
    make: 'ARRI',
    model: 'ALEXA 35',
    serial: '60417',
    serialTag: 'ARRI:SerialNumber',
    code: 'R1AB',
    codec: 'arriraw',
    ext: 'mxf',
    width: 4608,
    height: 3164,
    bitDepth: 13,
    gamut: 'ARRI Wide Gamut 4',
    transfer: 'LogC4',
    aces: 'arri_logc4_awg4',
    bytesPerFrame: 11_000_000,
    iso: 800,
    audioChannels: 0,
    lenses: [
      'Signature Prime 18mm',
      'Signature Prime 25mm',
      'Signature Prime 35mm',
      'Signature Prime 47mm',
      'Signature Prime 75mm',
      'Signature Prime 125mm',
    ],
  },
  {
    letter: 'B',
    make: 'ARRI',
    model: 'ALEXA 35',
    serial: '60522',
    serialTag: 'ARRI:SerialNumber',
    code: 'R2CD',
    codec: 'prores',
    ext: 'mov',
    width: 4608,
    height: 3164,
    bitDepth: 12,
    gamut: 'ARRI Wide Gamut 4',
    transfer: 'LogC4',
    aces: 'arri_logc4_awg4',
    bytesPerFrame: 1_900_000,
    iso: 800,
    audioChannels: 4,
    lenses: ['Signature Prime 25mm', 'Signature Prime 47mm', 'Signature Zoom 65-300mm'],
  },
  {
    letter: 'C',
    make: 'Sony',
    model: 'VENICE 2',
    serial: '0104711',
    serialTag: 'Sony:SerialNumber',
    code: 'R3EF',
    codec: 'x-ocn',
    ext: 'mxf',
    width: 8640,
    height: 5760,
    bitDepth: 16,
    gamut: 'S-Gamut3.Cine',
    transfer: 'S-Log3',
    aces: 'sony_slog3_venice_sgamut3cine',
    bytesPerFrame: 2_900_000,
    iso: 800,
    audioChannels: 4,
    lenses: ['Cooke Anamorphic/i FF 40mm', 'Cooke Anamorphic/i FF 75mm', 'Cooke Anamorphic/i FF 100mm'],
  },
  {
    letter: 'D',
    make: 'RED',
    model: 'V-RAPTOR',
    serial: '1401A3F5',
    serialTag: 'RED:SerialNumber',
    code: 'R4GH',
    codec: 'r3d',
    ext: 'R3D',
    width: 8192,
    height: 4320,
    bitDepth: 16,
    gamut: 'REDWideGamutRGB',
    transfer: 'Log3G10',
    aces: 'red_log3g10_rwg',
    bytesPerFrame: 2_000_000,
    iso: 800,
    audioChannels: 0,
    lenses: ['Leica Summilux-C 29mm', 'Leica Summilux-C 40mm', 'Leica Summilux-C 65mm'],
  },
  {
    letter: 'E',
    make: 'ARRI',
    model: 'ALEXA Mini LF',
    serial: '2941',
    serialTag: 'ARRI:SerialNumber',
    code: 'R5JK',
    codec: 'prores',
    ext: 'mov',
    width: 4448,
    height: 3096,
    bitDepth: 12,
    gamut: 'ARRI Wide Gamut 3',
    transfer: 'LogC3',
    aces: 'arri_logc3_awg3',
    bytesPerFrame: 1_700_000,
    iso: 1280,
    audioChannels: 4,
    lenses: ['Zeiss Supreme Prime 29mm', 'Zeiss Supreme Prime 50mm', 'Zeiss Supreme Prime 85mm'],
  },
  {
    letter: 'F',
    make: 'Canon',
    model: 'EOS C500 Mark II',
    serial: '023100000417',
    serialTag: 'Canon:SerialNumber',
    code: 'R6LM',
    codec: 'h264',
    ext: 'MXF',
    width: 4096,
    height: 2160,
    bitDepth: 10,
    gamut: 'Cinema Gamut',
    transfer: 'Canon Log 2',
    aces: 'canon_clog2_cgamut',
    bytesPerFrame: 340_000,
    iso: 1600,
    audioChannels: 4,
    lenses: ['Canon CN-E 24mm T1.5', 'Canon CN-E 50mm T1.3', 'Canon CN-E 30-105mm T2.8'],
  },
];
/** Which camera shot roll i: i mod 10 (A and B cameras shoot most). */
const CAMERA_OF_ROLL = [0, 0, 0, 1, 1, 2, 2, 3, 4, 5];

/** Roll rates: num/den, frames per timecode second, frames dropped per minute (DF). */
const RATES = [
  { num: 24000, den: 1001, fps: 24, drop: 0 },
  { num: 24, den: 1, fps: 24, drop: 0 },
  { num: 25, den: 1, fps: 25, drop: 0 },
  { num: 30000, den: 1001, fps: 30, drop: 2 },
  { num: 50, den: 1, fps: 50, drop: 0 },
];
/** Rate of roll i: by (i × 7) mod 20 — 60 % 23.976, 10 % 24, 10 % 25, 15 % 29.97 DF, 5 % 50. */
const RATE_OF = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 3, 4];

const FIRST_DAY = Date.UTC(2026, 8, 1); // 1 September 2026
const SHOOTING_DAYS = 100;
const DAY_MS = 86_400_000;

/**
 * Session-local helpers (pg_temp: gone when the connection closes).
 * `u(k, salt)`: a repeatable uniform number in [0, 1) from a clip number.
 * `tc_label(frames, fps, drop)`: the label a frame count shows, as @rushes/timecode's
 * fieldsFromFrames + formatTimecode (wrapping at 24 h, `;` before the frames for drop-frame).
 */
const HELPERS = `
create function pg_temp.u(k bigint, salt bigint) returns float8 language sql immutable as $$
  select (hashint8extended(k, salt) & 2147483647)::float8 / 2147483648
$$;
create function pg_temp.tc_label(f bigint, fps int, drop int) returns text language plpgsql immutable as $$
declare
  per10 int := fps * 600 - drop * 9;
  w bigint := f % (24 * (fps * 3600 - drop * 54));
  n bigint := w + drop * 9 * (w / per10)
    + case when w % per10 > drop then drop * ((w % per10 - drop) / (fps * 60 - drop)) else 0 end;
  s bigint := n / fps;
begin
  return lpad((s / 3600)::text, 2, '0') || ':' || lpad((s / 60 % 60)::text, 2, '0') || ':'
    || lpad((s % 60)::text, 2, '0') || case when drop > 0 then ';' else ':' end || lpad((n % fps)::text, 2, '0');
end $$;
`;

/** SQL for one sourced field of the metadata document (`{ value, source, detail? }`). */
const v = (value: string, source: MetadataSource, detail?: string) =>
  `jsonb_build_object('value', ${value}, 'source', '${source}'${detail ? `, 'detail', '${detail}'` : ''})`;

/**
 * One chunk of clips ($3 ≤ k < $4, whole rolls): k / $2 is the roll, k mod $2 + 1 the clip
 * number in it. Each clip starts 1–10 s after the previous one ended (a running sum over the
 * roll), from the roll's first frame.
 */
const INSERT_CLIPS = `
insert into clips (roll_id, production_id, file_name, original_path, object_key, size_bytes, checksums,
  state, camera, reel, start_timecode, end_timecode, start_frame, duration_frames, fps_num, fps_den,
  width, height, codec, color_space, recorded_at, metadata, error_code, error_message, created_at, updated_at)
select r.id, $1::uuid, n.file_name, n.path, 'productions/' || $1::uuid || '/rolls/' || r.id || '/original/' || n.path,
  f.size, jsonb_build_object('xxh64', lpad(to_hex(hashint8extended(c.k, 4)), 16, '0')),
  s.state, r.make || ' ' || r.model, r.reel, t.start_tc, t.end_tc, c.start_frame, c.dur, r.num, r.den,
  r.width, r.height, r.codec, r.aces, t.recorded_at,
  -- The document: the groups a roll shares were built with its plan, the rest per clip.
  jsonb_build_object(
    'identity', jsonb_build_object(
      'clipName', ${v('m.clip_name', 'container')},
      'reel', ${v('r.reel', 'exiftool')},
      'cameraUnit', ${v('r.letter', 'exiftool')},
      'clipIndex', ${v('c.clip_no', 'filename')},
      'recordDate', ${v(`to_char(t.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`, 'exiftool', 'QuickTime:CreateDate')},
      'scene', ${v('d.scene', 'exiftool')},
      'take', ${v('d.take', 'exiftool')}),
    'camera', r.camera_doc,
    'lens', d.lens,
    'exposure', r.exposure_doc || jsonb_build_object(
      'shutterAngleDeg', ${v('d.shutter', 'exiftool')},
      'whiteBalanceK', ${v('d.kelvin', 'exiftool')}),
    'picture', r.picture_doc,
    'color', r.color_doc,
    'time', jsonb_build_object(
      'startTimecode', ${v('t.start_tc', 'stream')},
      'endTimecode', ${v('t.end_tc', 'stream', 'start + duration (exclusive)')},
      'durationFrames', ${v('c.dur', 'stream')},
      'durationSeconds', ${v('round(c.dur * r.den::numeric / r.num, 3)', 'container')},
      'dropFrame', ${v('r.drop > 0', 'stream', 'separator of the start timecode')}),
    'audio', r.audio_doc,
    'file', jsonb_build_object(
      'container', ${v('lower(r.ext)', 'container')},
      'sizeBytes', ${v('f.size', 'container')},
      'originalPath', ${v('n.path', 'container')})),
  case when s.state = 'failed' then 'FILE_UNREADABLE' end,
  case when s.state = 'failed' then 'the original could not be decoded' end,
  r.ingest_at + c.clip_no * interval '500 milliseconds',
  r.ingest_at + c.clip_no * interval '500 milliseconds' + interval '3 minutes'
from (
  select a.*, (r.start + sum(a.dur + a.gap) over (partition by a.roll order by a.k) - a.dur)::bigint % r.day_frames
    as start_frame
  from (
    select g.k, g.k / $2 as roll, g.k % $2 + 1 as clip_no,
      100 + floor(4900 * pg_temp.u(g.k, 1) ^ 4)::int as dur,
      r.fps * (1 + floor(10 * pg_temp.u(g.k, 2)))::int as gap
    from generate_series($3::bigint, $4::bigint - 1) g(k)
    join scale_rolls r on r.idx = g.k / $2
  ) a
  join scale_rolls r on r.idx = a.roll
) c
join scale_rolls r on r.idx = c.roll
cross join lateral (select r.reel || 'C' || lpad(c.clip_no::text, 4, '0') || '_' || r.yymmdd || '_' || r.code
  as clip_name) m
cross join lateral (select m.clip_name || '.' || r.ext as file_name,
  r.reel || '/Clip/' || m.clip_name || '.' || r.ext as path) n
cross join lateral (select pg_temp.tc_label(c.start_frame, r.fps, r.drop) as start_tc,
  pg_temp.tc_label(c.start_frame + c.dur, r.fps, r.drop) as end_tc,
  -- Whole seconds, as cameras write the record date (identity.recordDate).
  date_trunc('second', r.day_at + make_interval(secs => c.start_frame::float8 * r.den / r.num)) as recorded_at) t
cross join lateral (select (r.bytes_per_frame * c.dur * (0.9 + 0.2 * pg_temp.u(c.k, 3)))::bigint as size) f
cross join lateral (select case when pg_temp.u(c.k, 5) < 0.02 then 'failed' when pg_temp.u(c.k, 5) < 0.03
  then 'partial' else 'ready' end::processing_state as state) s
cross join lateral (
  -- A setup is six takes: one scene, one lens, one white balance.
  select (1 + (c.roll * 13 + (c.clip_no - 1) / 6) % 180)::text
      || (array['', '', '', 'A', 'B', 'C'])[1 + floor(6 * pg_temp.u(c.roll * 10000 + (c.clip_no - 1) / 6, 6))::int] as scene,
    ((c.clip_no - 1) % 6 + 1)::text as take,
    r.lens_docs -> floor(jsonb_array_length(r.lens_docs) * pg_temp.u(c.roll * 10000 + (c.clip_no - 1) / 6, 7))::int
      as lens,
    case when pg_temp.u(c.k, 8) < 0.2 then 172.8 else 180 end as shutter,
    case when pg_temp.u(c.roll * 10000 + (c.clip_no - 1) / 6, 9) < 0.5 then 3200 else 5600 end as kelvin
) d`;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const progress = (line: string) => process.stderr.write(`  scale seed: ${line}\n`);

type Document = NormalizedClipMetadata;
const sourced = <T>(value: T, source: MetadataSource, detail?: string) => ({
  value,
  source,
  ...(detail ? { detail } : {}),
});

/** The groups of the metadata document every clip of a roll shares (its camera and rate). */
function documentOf(camera: Camera, rate: { num: number; den: number }) {
  return {
    camera_doc: {
      make: sourced(camera.make, 'exiftool', 'QuickTime:Make'),
      model: sourced(camera.model, 'exiftool', 'QuickTime:Model'),
      serial: sourced(camera.serial, 'exiftool', camera.serialTag),
    } satisfies Document['camera'],
    exposure_doc: { exposureIndex: sourced(camera.iso, 'exiftool') } satisfies Document['exposure'],
    picture_doc: {
      width: sourced(camera.width, 'stream'),
      height: sourced(camera.height, 'stream'),
      frameRate: sourced({ num: rate.num, den: rate.den }, 'stream'),
      codec: sourced(camera.codec, 'stream'),
      bitDepth: sourced(camera.bitDepth, 'exiftool'),
    } satisfies Document['picture'],
    color_doc: {
      gamut: sourced(camera.gamut, 'exiftool'),
      transfer: sourced(camera.transfer, 'exiftool'),
      acesInputTransform: sourced(camera.aces, 'exiftool', 'from transfer and gamut'),
    } satisfies Document['color'],
    audio_doc: (camera.audioChannels
      ? { channels: sourced(camera.audioChannels, 'stream'), sampleRateHz: sourced(48_000, 'stream') }
      : {}) satisfies Document['audio'],
    // One per lens of the camera's set; each setup of six takes picks one.
    lens_docs: camera.lenses.map(
      (model) =>
        ({
          model: sourced(model, 'exiftool'),
          focalLengthMm: sourced(Number(/(\d+)(-\d+)?mm/.exec(model)?.[1]), 'exiftool'),
        }) satisfies Document['lens'],
    ),
  };
}

/** The rolls (a thousand rows, planned here): camera, rate, day and first frame of each. */
function planRolls(rollCount: number, perRoll: number, total: number) {
  const reelsOf = new Map<string, number>();
  return Array.from({ length: rollCount }, (_, idx) => {
    const camera = CAMERAS[CAMERA_OF_ROLL[idx % 10]!]!;
    const rate = RATES[RATE_OF[(idx * 7) % 20]!]!;
    const number = (reelsOf.get(camera.letter) ?? 0) + 1;
    reelsOf.set(camera.letter, number);
    const dayIndex = Math.floor((idx * SHOOTING_DAYS) / rollCount);
    const day = new Date(FIRST_DAY + dayIndex * DAY_MS);
    const iso = day.toISOString();
    // The roll's first frame: between 04:00 and 06:00 (a whole second), at its rate (the
    // drop-frame day has 2,589,408 frames, not 30 × 86,400).
    const startSecond = 4 * 3600 + ((idx * 7919) % (2 * 3600));
    const perHour = rate.fps * 3600 - rate.drop * 54;
    return {
      idx,
      reel: `${camera.letter}${pad(number, 4)}`,
      letter: camera.letter,
      day: iso.slice(0, 10),
      yymmdd: iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10),
      day_at: iso,
      // Ingested that evening, a few minutes apart per roll.
      ingest_at: new Date(day.getTime() + 20 * 3600_000 + (idx % 50) * 600_000).toISOString(),
      start: Math.round((startSecond * perHour) / 3600),
      ...rate,
      day_frames: 24 * perHour,
      clips: Math.max(0, Math.min(perRoll, total - idx * perRoll)),
      make: camera.make,
      model: camera.model,
      code: camera.code,
      codec: camera.codec,
      ext: camera.ext,
      width: camera.width,
      height: camera.height,
      aces: camera.aces,
      bytes_per_frame: camera.bytesPerFrame,
      ...documentOf(camera, rate),
    };
  });
}

const ROLL_COLUMNS = `idx int, reel text, letter text, day date, yymmdd text, day_at timestamptz,
  ingest_at timestamptz, start bigint, num int, den int, fps int, drop int, day_frames bigint, clips int, make text,
  model text, code text, codec text, ext text, width int, height int, aces text, bytes_per_frame bigint,
  camera_doc jsonb, exposure_doc jsonb, picture_doc jsonb, color_doc jsonb, audio_doc jsonb, lens_docs jsonb`;

/** Connections working at once: the load and the index builds keep two cores busy. */
const SESSIONS = 2;

/** Runs `work` on each item, `sessions.length` at a time, each session taking the next item. */
async function share<T>(
  sessions: pg.ClientBase[],
  items: T[],
  work: (session: pg.ClientBase, item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    sessions.map(async (session) => {
      while (next < items.length) await work(session, items[next++]!);
    }),
  );
}

/** Seeds the production; `db` is the database's pool or URL (a URL gets connections of its own). */
export async function seedScale(db: pg.Pool | string, options: { clips: number }): Promise<ScaleSeed> {
  const total = options.clips;
  const rollCount = Math.max(10, Math.round(total / 1000));
  const perRoll = Math.ceil(total / rollCount);
  const plan = planRolls(rollCount, perRoll, total);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  // Sessions of their own: the helpers and the roll table are session-local (pg_temp).
  const sessions: pg.ClientBase[] = [];
  const own = typeof db === 'string';
  try {
    for (let i = 0; i < SESSIONS; i += 1) {
      const session = own ? new pg.Client({ connectionString: db }) : await db.connect();
      sessions.push(session);
      if (own) await session.connect();
      await session.query(HELPERS);
    }
    const main = sessions[0]!;
    const [production] = (
      await main.query<{ id: string }>(
        `insert into productions (name, code, fps_num, fps_den, state)
         values ('Scale', 'SCALE', 24000, 1001, 'ready') returning id`,
      )
    ).rows;
    const productionId = production!.id;
    await main.query(
      `insert into rolls (production_id, name, kind, camera_unit, shoot_day, state, source_location,
         import_files_total, import_files_done, created_at, updated_at)
       select $1, reel, 'camera', letter, day, 'ready', '/mnt/shuttle/SCALE/' || reel, clips, clips,
         ingest_at, ingest_at + interval '1 hour'
       from jsonb_to_recordset($2::jsonb) as p(${ROLL_COLUMNS}) order by idx`,
      [productionId, JSON.stringify(plan)],
    );
    for (const session of sessions) {
      await session.query(
        `create temp table scale_rolls as
         select p.*, r.id from jsonb_to_recordset($2::jsonb) as p(${ROLL_COLUMNS})
         join rolls r on r.production_id = $1 and r.name = p.reel`,
        [productionId, JSON.stringify(plan)],
      );
      await session.query(`create unique index on scale_rolls (idx); analyze scale_rolls`);
    }
    const rollIds = (await main.query<{ id: string }>(`select id from scale_rolls order by idx`)).rows.map(
      (r) => r.id,
    );

    // The clips' indexes (but the primary key's) are dropped during the load and built again
    // after it, as the migrations define them: maintaining two trigram GINs and a GiST row by row
    // is what would make a million inserts take the better part of an hour.
    const indexes = (
      await main.query<{ name: string; definition: string }>(
        `select indexname as name, indexdef as definition from pg_indexes
         where schemaname = current_schema() and tablename = 'clips'
           and indexname not in (select conname from pg_constraint where conrelid = 'clips'::regclass)
         order by indexdef !~ 'USING (gin|gist)', indexname`, // the slow builds first
      )
    ).rows;
    for (const index of indexes) await main.query(`drop index ${quoteIdent(index.name)}`);

    // The clips: whole rolls per statement, up to about 100,000 clips each, two statements at once.
    const rollsPerChunk = Math.min(Math.floor(100_000 / perRoll), Math.ceil(rollCount / SESSIONS));
    const chunk = perRoll * Math.max(1, rollsPerChunk);
    const chunks = Array.from({ length: Math.ceil(total / chunk) }, (_, i) => i * chunk);
    let inserted = 0;
    await share(sessions, chunks, async (session, lo) => {
      const hi = Math.min(total, lo + chunk);
      await session.query(INSERT_CLIPS, [productionId, perRoll, lo, hi]);
      inserted += hi - lo;
      progress(`${inserted.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} clips, ${elapsed()}`);
    });
    for (const session of sessions) await session.query(`set maintenance_work_mem = '512MB'`);
    await share(sessions, indexes, async (session, index) => {
      await session.query(index.definition);
      progress(`index ${index.name}, ${elapsed()}`);
    });
    await main.query('analyze rolls');
    // Vacuumed too, as autovacuum would after so many inserts: index-only scans (the timecode
    // filters' page picking) need the visibility map it writes.
    await main.query('vacuum analyze clips');
    progress(`vacuumed and analyzed, ${elapsed()}`);

    // Sample values, from what was written.
    const mid = plan[Math.floor(rollCount / 2)]!;
    const [clip] = (
      await main.query<{ file_name: string; at: string }>(
        `select file_name, pg_temp.tc_label(start_frame + duration_frames / 2, $2, $3) as at
         from clips where roll_id = $1 order by file_name offset $4 limit 1`,
        [rollIds[mid.idx], mid.fps, mid.drop, Math.floor(mid.clips / 2)],
      )
    ).rows;
    const minute = clip!.at.slice(0, 5); // HH:MM of the sample clip: a busy time of the day
    const [hh, mm] = minute.split(':').map(Number) as [number, number];
    const next = hh * 60 + mm + 1;
    const fromDay = new Date(FIRST_DAY + 50 * DAY_MS);

    const token = newSecret('rs_key');
    await main.query(
      `insert into api_keys (name, prefix, secret_hash, role, production_ids) values ($1, $2, $3, 'vendor', $4)`,
      ['scale bench vendor', apiKeyPrefix(token), hashSecret(token), [productionId]],
    );
    return {
      productionId,
      rollIds,
      clips: total,
      token,
      samples: {
        reel: mid.reel,
        rollId: rollIds[mid.idx]!,
        timecode: clip!.at,
        timecodeClip: clip!.file_name,
        timecodeFrom: `${minute}:10:00`,
        timecodeTo: `${pad(Math.floor(next / 60) % 24, 2)}:${pad(next % 60, 2)}:10:00`,
        cameraMake: 'Sony',
        cameraModel: 'ALEXA 35',
        cameraSerial: '023100000417',
        lens: 'Supreme Prime',
        codec: 'prores',
        frameRate: 29.97,
        colorSpace: 'red_log3g10_rwg',
        states: ['failed', 'partial'],
        recordedFrom: fromDay,
        recordedTo: new Date(fromDay.getTime() + 7 * DAY_MS),
        width: 4096,
        height: 2160,
        text: `C${pad(Math.min(500, perRoll), 4)}_`,
        clipName: clip!.file_name.replace(/\.[^.]+$/, ''),
      },
    };
  } finally {
    for (const session of sessions) {
      if (own) await (session as pg.Client).end();
      else (session as pg.PoolClient).release(true); // closed: its pg_temp helpers and roll table go with it
    }
  }
}
