CREATE TYPE "public"."model_kind" AS ENUM('policy', 'reward');--> statement-breakpoint
CREATE TYPE "public"."model_status" AS ENUM('ready', 'candidate', 'active', 'retired', 'failed');--> statement-breakpoint
CREATE TYPE "public"."training_kind" AS ENUM('sft', 'reward', 'ppo', 'evaluate');--> statement-breakpoint
CREATE TYPE "public"."training_status" AS ENUM('queued', 'running', 'succeeded', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "model_artifacts" (
	"sha256" text PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid,
	"kind" "model_kind" NOT NULL,
	"status" "model_status" DEFAULT 'ready' NOT NULL,
	"name" text NOT NULL,
	"parent_id" uuid,
	"training_run_id" uuid,
	"artifact_sha256" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "training_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid,
	"kind" "training_kind" NOT NULL,
	"status" "training_status" DEFAULT 'queued' NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"step" integer DEFAULT 0 NOT NULL,
	"total_steps" integer DEFAULT 0 NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"curve" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"job_id" text,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_training_run_id_training_runs_id_fk" FOREIGN KEY ("training_run_id") REFERENCES "public"."training_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_artifact_sha256_model_artifacts_sha256_fk" FOREIGN KEY ("artifact_sha256") REFERENCES "public"."model_artifacts"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_runs" ADD CONSTRAINT "training_runs_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_runs" ADD CONSTRAINT "training_runs_created_by_id_staff_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_one_active_uq" ON "model_versions" USING btree ("site_id","kind") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "model_versions_site_idx" ON "model_versions" USING btree ("site_id","kind","created_at");--> statement-breakpoint
CREATE INDEX "training_runs_site_created_idx" ON "training_runs" USING btree ("site_id","created_at");