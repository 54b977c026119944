-- Trigram (text search) and btree_gist (production + timecode range in one GiST index): both ship
-- with PostgreSQL (contrib) and are trusted extensions, so the database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
DROP INDEX "clips_production_state_idx";--> statement-breakpoint
DROP INDEX "clips_production_reel_idx";--> statement-breakpoint
DROP INDEX "clips_production_camera_idx";--> statement-breakpoint
DROP INDEX "clips_production_recorded_idx";--> statement-breakpoint
DROP INDEX "clips_production_start_frame_idx";--> statement-breakpoint
DROP INDEX "clips_production_codec_idx";--> statement-breakpoint
DROP INDEX "clips_production_color_space_idx";--> statement-breakpoint
DROP INDEX "clips_production_file_name_idx";--> statement-breakpoint
ALTER TABLE "clips" ADD COLUMN "camera_make" text GENERATED ALWAYS AS ((metadata #>> '{camera,make,value}')) STORED;--> statement-breakpoint
ALTER TABLE "clips" ADD COLUMN "camera_model" text GENERATED ALWAYS AS ((metadata #>> '{camera,model,value}')) STORED;--> statement-breakpoint
ALTER TABLE "clips" ADD COLUMN "camera_serial" text GENERATED ALWAYS AS ((metadata #>> '{camera,serial,value}')) STORED;--> statement-breakpoint
ALTER TABLE "clips" ADD COLUMN "lens_model" text GENERATED ALWAYS AS ((metadata #>> '{lens,model,value}')) STORED;--> statement-breakpoint
ALTER TABLE "clips" ADD COLUMN "fps" double precision GENERATED ALWAYS AS (case when fps_den > 0 then fps_num::float8 / fps_den end) STORED;--> statement-breakpoint
ALTER TABLE "clips" ADD COLUMN "color_terms" text[] GENERATED ALWAYS AS (array_remove(array[lower(color_space), lower(metadata #>> '{color,acesInputTransform,value}'), lower(metadata #>> '{color,gamut,value}'), lower(metadata #>> '{color,transfer,value}')], null)) STORED;--> statement-breakpoint
ALTER TABLE "clips" ADD COLUMN "timecode_seconds" "int8range" GENERATED ALWAYS AS (case when start_frame is not null and duration_frames is not null and fps_den > 0 and fps_num >= fps_den
        then int8range(start_frame / round(fps_num::numeric / fps_den)::int8,
          (start_frame + duration_frames) / round(fps_num::numeric / fps_den)::int8 + 1) end) STORED;--> statement-breakpoint
ALTER TABLE "clips" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(file_name || E'\n' || original_path || E'\n' || coalesce(reel, '') || E'\n' || coalesce(codec, '') || E'\n' || coalesce(start_timecode, '') || E'\n' || coalesce(error_code, '') || E'\n' || coalesce(metadata #>> '{identity,scene,value}', '') || E'\n' || coalesce(metadata #>> '{identity,take,value}', '') || E'\n' || coalesce(metadata #>> '{camera,make,value}', '') || E'\n' || coalesce(metadata #>> '{camera,model,value}', '') || E'\n' || coalesce(metadata #>> '{camera,serial,value}', '') || E'\n' || coalesce(metadata #>> '{lens,model,value}', '') || E'\n' || coalesce(metadata #>> '{color,acesInputTransform,value}', '') || E'\n' || coalesce(metadata #>> '{audio,scene,value}', '') || E'\n' || coalesce(metadata #>> '{audio,take,value}', '') || E'\n' || coalesce(metadata #>> '{audio,note,value}', ''))) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "clips_production_file_name_keyset_idx" ON "clips" USING btree ("production_id","file_name","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_recorded_keyset_idx" ON "clips" USING btree ("production_id","recorded_at","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_start_frame_keyset_idx" ON "clips" USING btree ("production_id","start_frame","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_created_keyset_idx" ON "clips" USING btree ("production_id","created_at","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_size_keyset_idx" ON "clips" USING btree ("production_id","size_bytes","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_reel_keyset_idx" ON "clips" USING btree ("production_id","reel","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_duration_keyset_idx" ON "clips" USING btree ("production_id","duration_frames","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_reel_by_name_idx" ON "clips" USING btree ("production_id",lower("reel"),"file_name","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_codec_by_name_idx" ON "clips" USING btree ("production_id",lower("codec"),"file_name","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_camera_make_by_name_idx" ON "clips" USING btree ("production_id",lower("camera_make"),"file_name","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_camera_model_by_name_idx" ON "clips" USING btree ("production_id",lower("camera_model"),"file_name","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_camera_serial_by_name_idx" ON "clips" USING btree ("production_id",lower("camera_serial"),"file_name","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_state_by_name_idx" ON "clips" USING btree ("production_id","state","file_name","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_size_by_name_idx" ON "clips" USING btree ("production_id","width","height","file_name","original_path","id");--> statement-breakpoint
CREATE INDEX "clips_production_fps_idx" ON "clips" USING btree ("production_id","fps");--> statement-breakpoint
CREATE INDEX "clips_color_terms_idx" ON "clips" USING gin ("color_terms");--> statement-breakpoint
CREATE INDEX "clips_lens_model_trgm_idx" ON "clips" USING gin ("lens_model" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clips_search_text_trgm_idx" ON "clips" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clips_production_timecode_idx" ON "clips" USING gist ("production_id","timecode_seconds");