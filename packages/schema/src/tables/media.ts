import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  manifestFormat,
  processingState,
  renditionKind,
  renditionState,
  rollKind,
  taskState,
} from './enums.ts';
import { productions } from './productions.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** PostgreSQL's int8range, as its text (`[10,20)`): only PostgreSQL reads it. */
const int8range = customType<{ data: string }>({ dataType: () => 'int8range' });

/** A field of the normalized metadata document (`metadata.group.field.value`) as text. */
const documentValue = (group: string, field: string) => sql.raw(`(metadata #>> '{${group},${field},value}')`);

/**
 * What `search` (and the clip filter `text`) looks in besides names, reel and path, one a line:
 * the clip's codec, start timecode and failure code, and the document's scene, take, camera,
 * lens, colour and sound fields.
 */
const searchFields = sql.raw(
  [
    'codec',
    'start_timecode',
    'error_code',
    ...[
      ['identity', 'scene'],
      ['identity', 'take'],
      ['camera', 'make'],
      ['camera', 'model'],
      ['camera', 'serial'],
      ['lens', 'model'],
      ['color', 'acesInputTransform'],
      ['audio', 'scene'],
      ['audio', 'take'],
      ['audio', 'note'],
    ].map(([group, field]) => `metadata #>> '{${group},${field},value}'`),
  ]
    .map((value) => `coalesce(${value}, '')`)
    .join(` || E'\\n' || `),
);

export const rolls = pgTable(
  'rolls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productionId: uuid('production_id')
      .notNull()
      .references(() => productions.id, { onDelete: 'cascade' }),
    /** Card or roll name as the camera department wrote it, e.g. `A001`. */
    name: text('name').notNull(),
    kind: rollKind('kind').notNull().default('camera'),
    cameraUnit: text('camera_unit'),
    shootDay: date('shoot_day'),
    state: processingState('state').notNull().default('pending'),
    /** Where an imported roll came from (server folder or S3 prefix). */
    sourceLocation: text('source_location'),
    /** Why the roll's import failed (with how many files were not imported). */
    errorMessage: text('error_message'),
    /** Files of the card to import (clips and sidecars), once listed; null for an upload roll before import. */
    importFilesTotal: integer('import_files_total'),
    /** Files of the card stored so far; a retried import continues from what is there. */
    importFilesDone: integer('import_files_done'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('rolls_production_name_key').on(t.productionId, t.name),
    index('rolls_production_day_idx').on(t.productionId, t.shootDay),
  ],
);

export const clips = pgTable(
  'clips',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    rollId: uuid('roll_id')
      .notNull()
      .references(() => rolls.id, { onDelete: 'cascade' }),
    /** Denormalized from the roll: every access check and search filters on it. */
    productionId: uuid('production_id')
      .notNull()
      .references(() => productions.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    /** Path of the file on the card, relative to the card root. */
    originalPath: text('original_path').notNull(),
    objectKey: text('object_key'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    /** Algorithm → hex digest, e.g. `{ "xxh64": "…", "md5": "…" }`. */
    checksums: jsonb('checksums').$type<Record<string, string>>().notNull().default({}),
    state: processingState('state').notNull().default('pending'),
    // Typed columns for what people filter and sort on; the full picture is in `metadata`.
    camera: text('camera'),
    reel: text('reel'),
    startTimecode: text('start_timecode'),
    endTimecode: text('end_timecode'),
    /** Start timecode as a frame count at the clip's rate, for range queries. */
    startFrame: bigint('start_frame', { mode: 'number' }),
    durationFrames: integer('duration_frames'),
    fpsNum: integer('fps_num'),
    fpsDen: integer('fps_den'),
    width: integer('width'),
    height: integer('height'),
    codec: text('codec'),
    colorSpace: text('color_space'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }),
    /** The normalized metadata document, every field with its source. */
    metadata: jsonb('metadata').$type<Record<string, unknown>>(),
    /** Raw tool output (ffprobe, exiftool) as the engine received it. */
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // Generated from the columns above, for filters and search that stay fast at a million
    // clips (issue 22): PostgreSQL keeps them, nothing writes them.
    cameraMake: text('camera_make').generatedAlwaysAs(documentValue('camera', 'make')),
    cameraModel: text('camera_model').generatedAlwaysAs(documentValue('camera', 'model')),
    cameraSerial: text('camera_serial').generatedAlwaysAs(documentValue('camera', 'serial')),
    lensModel: text('lens_model').generatedAlwaysAs(documentValue('lens', 'model')),
    /** Frames per second as a number, for the frame-rate filter (± 0.01). */
    fps: doublePrecision('fps').generatedAlwaysAs(
      sql`case when fps_den > 0 then fps_num::float8 / fps_den end`,
    ),
    /** Every colour name the clip answers to, lower case (colour-space filter, GIN). */
    colorTerms: text('color_terms')
      .array()
      .generatedAlwaysAs(
        sql`array_remove(array[lower(color_space), lower(metadata #>> '{color,acesInputTransform,value}'), lower(metadata #>> '{color,gamut,value}'), lower(metadata #>> '{color,transfer,value}')], null)`,
      ),
    /**
     * The seconds of timecode the clip spans, counted as start frame ÷ nominal rate: a coarse
     * range (GiST) that narrows a timecode filter to a few clips before the exact per-rate frame
     * comparison (../../../data/src/clip-filter.ts) decides.
     */
    timecodeSeconds: int8range('timecode_seconds').generatedAlwaysAs(
      sql`case when start_frame is not null and duration_frames is not null and fps_den > 0 and fps_num >= fps_den
        then int8range(start_frame / round(fps_num::numeric / fps_den)::int8,
          (start_frame + duration_frames) / round(fps_num::numeric / fps_den)::int8 + 1) end`,
    ),
    /** Whether the clip's timecode is drop-frame, as its metadata says (false when it does not). */
    dropFrame: boolean('drop_frame')
      .notNull()
      .generatedAlwaysAs(sql`coalesce((metadata -> 'time' -> 'dropFrame' ->> 'value')::boolean, false)`),
    /** The UTC day of recordedAt: a recorded-date range is read day by day, each in name order. */
    recordedDay: date('recorded_day').generatedAlwaysAs(sql`(recorded_at at time zone 'UTC')::date`),
    /** What `text` filters and `search` look in, lower case, one field a line (trigram GIN). */
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(
        sql`lower(file_name || E'\\n' || original_path || E'\\n' || coalesce(reel, '') || E'\\n' || ${searchFields})`,
      ),
  },
  (t) => [
    uniqueIndex('clips_roll_path_key').on(t.rollId, t.originalPath),
    // A keyset index per sort the API offers: production, the sort column, then the tie-breakers.
    ...(
      [
        ['file_name', t.fileName],
        ['recorded', t.recordedAt],
        ['start_frame', t.startFrame],
        ['created', t.createdAt],
        ['size', t.sizeBytes],
        ['reel', t.reel],
        ['duration', t.durationFrames],
      ] as const
    ).map(([name, column]) =>
      index(`clips_production_${name}_keyset_idx`).on(t.productionId, column, t.originalPath, t.id),
    ),
    // Equality filters (case-insensitive where text) with the default sort after them: a
    // filtered first page walks its matches in name order, where walking the name index and
    // skipping non-matches reads half the table when the matches cluster (one camera's rolls).
    ...(
      [
        ['reel', sql`lower(${t.reel})`],
        ['codec', sql`lower(${t.codec})`],
        ['camera_make', sql`lower(${t.cameraMake})`],
        ['camera_model', sql`lower(${t.cameraModel})`],
        ['camera_serial', sql`lower(${t.cameraSerial})`],
        ['state', t.state],
        // Filters that match several values (lens contains, a colour name, a date range) are
        // read value by value through these, each in name order, and merged
        // (../../../data/src/clip-split.ts).
        ['lens_model', t.lensModel],
        ['color_terms', t.colorTerms],
        ['recorded_day', t.recordedDay],
      ] as const
    ).map(([name, value]) =>
      index(`clips_production_${name}_by_name_idx`).on(
        t.productionId,
        value,
        t.fileName,
        t.originalPath,
        t.id,
      ),
    ),
    index('clips_production_size_by_name_idx').on(
      t.productionId,
      t.width,
      t.height,
      t.fileName,
      t.originalPath,
      t.id,
    ),
    index('clips_production_fps_idx').on(t.productionId, t.fps),
    index('clips_color_terms_idx').using('gin', t.colorTerms),
    index('clips_lens_model_trgm_idx').using('gin', t.lensModel.op('gin_trgm_ops')),
    index('clips_search_text_trgm_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    // Covering, too (INCLUDE the frame comparison's and the name order's columns): migration 0007.
    index('clips_production_timecode_idx').using('gist', t.productionId, t.timecodeSeconds),
  ],
);

export const renditions = pgTable(
  'renditions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clipId: uuid('clip_id')
      .notNull()
      .references(() => clips.id, { onDelete: 'cascade' }),
    kind: renditionKind('kind').notNull(),
    /** Unique per clip: `original`, `proxy:review`, `poster`, `thumbnail`, `strip`… */
    name: text('name').notNull(),
    objectKey: text('object_key'),
    /** Hash of (source checksum, profile, color chain, engine version): same inputs, same file. */
    identity: text('identity'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    codec: text('codec'),
    width: integer('width'),
    height: integer('height'),
    state: renditionState('state').notNull().default('pending'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('renditions_clip_name_key').on(t.clipId, t.name)],
);

/** The processing history users see; pg-boss holds the queue itself. */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clipId: uuid('clip_id')
      .notNull()
      .references(() => clips.id, { onDelete: 'cascade' }),
    /** `verify`, `probe`, `images`, `proxy:<profile>`. */
    kind: text('kind').notNull(),
    state: taskState('state').notNull().default('queued'),
    progress: real('progress').notNull().default(0),
    attempt: integer('attempt').notNull().default(0),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    workerId: text('worker_id'),
    jobId: text('job_id'),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('tasks_clip_kind_key').on(t.clipId, t.kind), index('tasks_state_idx').on(t.state)],
);

export const manifests = pgTable(
  'manifests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    rollId: uuid('roll_id')
      .notNull()
      .references(() => rolls.id, { onDelete: 'cascade' }),
    format: manifestFormat('format').notNull(),
    /** Path of the manifest on the card, relative to the card root. */
    path: text('path').notNull(),
    objectKey: text('object_key'),
    entries: jsonb('entries').$type<Record<string, unknown>[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('manifests_roll_path_key').on(t.rollId, t.path)],
);

/**
 * Files being uploaded into a roll through the api (browser or remote CLI): one multipart upload
 * each, into `uploads/<roll id>/<path>`; `completeUpload` ingests the roll once all are done.
 */
export const uploads = pgTable(
  'uploads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    rollId: uuid('roll_id')
      .notNull()
      .references(() => rolls.id, { onDelete: 'cascade' }),
    /** Card-relative path, as the uploader named it. */
    path: text('path').notNull(),
    objectKey: text('object_key').notNull(),
    /** The store's multipart upload id. */
    storeUploadId: text('store_upload_id').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    partSizeBytes: integer('part_size_bytes').notNull(),
    /** open → uploaded (parts assembled) → ingested; aborted when replaced. */
    state: text('state').notNull().default('open'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('uploads_roll_path_key').on(t.rollId, t.path)],
);
