CREATE TYPE "public"."manifest_format" AS ENUM('ascmhl-v1', 'ascmhl-v2');--> statement-breakpoint
CREATE TYPE "public"."member_role" AS ENUM('owner', 'coordinator', 'editor', 'vendor');--> statement-breakpoint
CREATE TYPE "public"."processing_state" AS ENUM('pending', 'processing', 'ready', 'failed', 'partial');--> statement-breakpoint
CREATE TYPE "public"."production_state" AS ENUM('pending', 'ready');--> statement-breakpoint
CREATE TYPE "public"."rendition_kind" AS ENUM('original', 'proxy', 'poster', 'thumbnail', 'strip', 'waveform');--> statement-breakpoint
CREATE TYPE "public"."rendition_state" AS ENUM('pending', 'ready', 'failed');--> statement-breakpoint
CREATE TYPE "public"."roll_kind" AS ENUM('camera', 'sound');--> statement-breakpoint
CREATE TYPE "public"."task_state" AS ENUM('queued', 'running', 'succeeded', 'failed', 'canceled');--> statement-breakpoint
CREATE TABLE "productions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"code" text NOT NULL,
	"fps_num" integer DEFAULT 24 NOT NULL,
	"fps_den" integer DEFAULT 1 NOT NULL,
	"color_pipeline" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"proxy_profiles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" "production_state" DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"role" "member_role" NOT NULL,
	"production_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "production_members" (
	"production_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "member_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "production_members_production_id_user_id_pk" PRIMARY KEY("production_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"password_hash" text,
	"is_admin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "clips" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"roll_id" uuid NOT NULL,
	"production_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"original_path" text NOT NULL,
	"object_key" text,
	"size_bytes" bigint,
	"checksums" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" "processing_state" DEFAULT 'pending' NOT NULL,
	"camera" text,
	"reel" text,
	"start_timecode" text,
	"end_timecode" text,
	"start_frame" bigint,
	"duration_frames" integer,
	"fps_num" integer,
	"fps_den" integer,
	"width" integer,
	"height" integer,
	"codec" text,
	"color_space" text,
	"recorded_at" timestamp with time zone,
	"metadata" jsonb,
	"raw" jsonb,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "manifests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"roll_id" uuid NOT NULL,
	"format" "manifest_format" NOT NULL,
	"path" text NOT NULL,
	"object_key" text,
	"entries" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "renditions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clip_id" uuid NOT NULL,
	"kind" "rendition_kind" NOT NULL,
	"name" text NOT NULL,
	"object_key" text,
	"identity" text,
	"size_bytes" bigint,
	"codec" text,
	"width" integer,
	"height" integer,
	"state" "rendition_state" DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rolls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"production_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" "roll_kind" DEFAULT 'camera' NOT NULL,
	"camera_unit" text,
	"shoot_day" date,
	"state" "processing_state" DEFAULT 'pending' NOT NULL,
	"source_location" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clip_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"state" "task_state" DEFAULT 'queued' NOT NULL,
	"progress" real DEFAULT 0 NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"error_code" text,
	"error_message" text,
	"worker_id" text,
	"job_id" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"production_id" uuid,
	"actor_user_id" uuid,
	"actor_api_key_id" uuid,
	"actor_worker" text,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_members" ADD CONSTRAINT "production_members_production_id_productions_id_fk" FOREIGN KEY ("production_id") REFERENCES "public"."productions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_members" ADD CONSTRAINT "production_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clips" ADD CONSTRAINT "clips_roll_id_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."rolls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clips" ADD CONSTRAINT "clips_production_id_productions_id_fk" FOREIGN KEY ("production_id") REFERENCES "public"."productions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manifests" ADD CONSTRAINT "manifests_roll_id_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."rolls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renditions" ADD CONSTRAINT "renditions_clip_id_clips_id_fk" FOREIGN KEY ("clip_id") REFERENCES "public"."clips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rolls" ADD CONSTRAINT "rolls_production_id_productions_id_fk" FOREIGN KEY ("production_id") REFERENCES "public"."productions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_clip_id_clips_id_fk" FOREIGN KEY ("clip_id") REFERENCES "public"."clips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_production_id_productions_id_fk" FOREIGN KEY ("production_id") REFERENCES "public"."productions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_api_key_id_api_keys_id_fk" FOREIGN KEY ("actor_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "productions_code_key" ON "productions" USING btree (upper("code"));--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "production_members_user_idx" ON "production_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "clips_roll_path_key" ON "clips" USING btree ("roll_id","original_path");--> statement-breakpoint
CREATE INDEX "clips_production_state_idx" ON "clips" USING btree ("production_id","state");--> statement-breakpoint
CREATE INDEX "clips_production_reel_idx" ON "clips" USING btree ("production_id","reel");--> statement-breakpoint
CREATE INDEX "clips_production_camera_idx" ON "clips" USING btree ("production_id","camera");--> statement-breakpoint
CREATE INDEX "clips_production_recorded_idx" ON "clips" USING btree ("production_id","recorded_at");--> statement-breakpoint
CREATE INDEX "clips_production_start_frame_idx" ON "clips" USING btree ("production_id","start_frame");--> statement-breakpoint
CREATE INDEX "clips_production_codec_idx" ON "clips" USING btree ("production_id","codec");--> statement-breakpoint
CREATE INDEX "clips_production_color_space_idx" ON "clips" USING btree ("production_id","color_space");--> statement-breakpoint
CREATE INDEX "clips_production_file_name_idx" ON "clips" USING btree ("production_id","file_name");--> statement-breakpoint
CREATE UNIQUE INDEX "manifests_roll_path_key" ON "manifests" USING btree ("roll_id","path");--> statement-breakpoint
CREATE UNIQUE INDEX "renditions_clip_name_key" ON "renditions" USING btree ("clip_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "rolls_production_name_key" ON "rolls" USING btree ("production_id","name");--> statement-breakpoint
CREATE INDEX "rolls_production_day_idx" ON "rolls" USING btree ("production_id","shoot_day");--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_clip_kind_key" ON "tasks" USING btree ("clip_id","kind");--> statement-breakpoint
CREATE INDEX "tasks_state_idx" ON "tasks" USING btree ("state");--> statement-breakpoint
CREATE INDEX "audit_events_production_created_idx" ON "audit_events" USING btree ("production_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_subject_idx" ON "audit_events" USING btree ("subject_type","subject_id");