ALTER TABLE "feedback" DROP CONSTRAINT "feedback_visitor_id_visitors_id_fk";
--> statement-breakpoint
ALTER TABLE "feedback" DROP CONSTRAINT "feedback_site_id_sites_id_fk";
--> statement-breakpoint
ALTER TABLE "feedback_events" DROP CONSTRAINT "feedback_events_site_id_sites_id_fk";
--> statement-breakpoint
ALTER TABLE "feedback_events" DROP CONSTRAINT "feedback_events_visitor_id_visitors_id_fk";
