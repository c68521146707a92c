DROP TABLE "feedback" CASCADE;--> statement-breakpoint
DROP INDEX "feedback_events_client_id_uq";--> statement-breakpoint
ALTER TABLE "feedback_events" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
-- Number the events already stored in the order they were stored (ADD COLUMN numbers them in storage order).
UPDATE "feedback_events" e SET "seq" = o.n
FROM (SELECT ctid, row_number() OVER (ORDER BY created_at, id) AS n FROM "feedback_events") o
WHERE e.ctid = o.ctid;--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('feedback_events', 'seq'), coalesce(max("seq"), 0) + 1, false) FROM "feedback_events";--> statement-breakpoint
ALTER TABLE "feedback_events" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "feedback_events" ADD CONSTRAINT "feedback_events_visitor_id_client_event_id_pk" PRIMARY KEY("visitor_id","client_event_id");--> statement-breakpoint
CREATE VIEW "public"."feedback" AS (
  select e.message_id, e.visitor_id, e.site_id, e.rating, e.reasons, e.comment, e.seq as event_seq, e.created_at as updated_at
  from feedback_events e
  where not exists (
    select 1 from feedback_events newer
    where newer.message_id = e.message_id and newer.visitor_id = e.visitor_id and newer.seq > e.seq
  ));