ALTER TABLE "clips" ADD COLUMN "drop_frame" boolean GENERATED ALWAYS AS (coalesce((metadata -> 'time' -> 'dropFrame' ->> 'value')::boolean, false)) STORED NOT NULL;--> statement-breakpoint
-- The timecode GiST index carries what picking a timecode filter's page in name order needs —
-- the frame comparison's columns and the name order's — so the page's ids come from an
-- index-only scan and only the page's own rows are read from the table (issue 22: at a million
-- clips a one-minute range visited ~2,000 scattered table blocks, and their metadata for the
-- drop-frame flag, to sort its matches: 45-60 ms). Drizzle's index builder cannot say INCLUDE:
-- the table definition keeps the index's name and key columns, this migration the rest.
DROP INDEX IF EXISTS "clips_production_timecode_idx";--> statement-breakpoint
CREATE INDEX "clips_production_timecode_idx" ON "clips" USING gist ("production_id", "timecode_seconds")
  INCLUDE ("file_name", "original_path", "id", "start_frame", "duration_frames", "fps_num", "fps_den", "drop_frame");
