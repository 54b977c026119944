CREATE TABLE "import_roots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"location" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"production_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rolls" ADD COLUMN "import_files_total" integer;--> statement-breakpoint
ALTER TABLE "rolls" ADD COLUMN "import_files_done" integer;--> statement-breakpoint
ALTER TABLE "import_roots" ADD CONSTRAINT "import_roots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "import_roots_location_key" ON "import_roots" USING btree ("location");