import type postgres from 'postgres';
import type { Rating } from '../../../protocol/widget.js';

export interface FeedbackItem {
  siteId: string;
  visitorId: string;
  messageId: string;
  clientEventId: string;
  rating: Rating | null;
  reasons: string[];
  comment: string | null;
}

/** What became of one item: its message was not the visitor's, it was stored, or it had been stored before. */
export type FeedbackOutcome = 'not_found' | 'stored' | 'duplicate';

/** Most items in one statement; more wait for the next flush. */
const MAX_BATCH = 500;
/** Flushes in flight at once (each holds one pooled connection). */
const MAX_IN_FLIGHT = 3;

/**
 * Group commit for thumbs. Requests arriving while earlier flushes run are written together in ONE
 * statement and ONE commit, so under load the cost of a commit is shared by many events; with no load a
 * request flushes at once (no added wait). A request is answered only after its batch committed.
 */
export class FeedbackBatcher {
  private queue: { item: FeedbackItem; resolve: (o: FeedbackOutcome) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(private readonly sql: postgres.Sql) {}

  record(item: FeedbackItem): Promise<FeedbackOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      writeBatch(this.sql, batch.map((b) => b.item))
        .then(
          (outcomes) => batch.forEach((b, i) => b.resolve(outcomes[i]!)),
          (err) => batch.forEach((b) => b.reject(err)),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}

/**
 * One statement for the whole batch: keep the items whose message is an assistant message in the
 * visitor's own conversation on the same site; append them to the event history in arrival order
 * (a client id seen before is skipped: idempotent); set each (message, visitor)'s current value from
 * its newest new event.
 */
async function writeBatch(sql: postgres.Sql, items: FeedbackItem[]): Promise<FeedbackOutcome[]> {
  const rows = await sql<{ idx: number; found: boolean; inserted: boolean }[]>`
    with input as (
      select * from unnest(
        ${items.map((_, i) => i)}::int[], ${items.map((i) => i.siteId)}::uuid[], ${items.map((i) => i.visitorId)}::uuid[],
        ${items.map((i) => i.messageId)}::uuid[], ${items.map((i) => i.clientEventId)}::text[],
        ${items.map((i) => i.rating)}::rating[], ${items.map((i) => JSON.stringify(i.reasons))}::text[],
        ${items.map((i) => i.comment)}::text[]
      ) as t(idx, site_id, visitor_id, message_id, client_event_id, rating, reasons, comment)
    ), target as (
      select i.* from input i
      join messages m on m.id = i.message_id and m.role = 'assistant' and m.site_id = i.site_id
      join conversations c on c.id = m.conversation_id and c.visitor_id = i.visitor_id
    ), ins as (
      insert into feedback_events (site_id, message_id, visitor_id, client_event_id, rating, reasons, comment)
      select site_id, message_id, visitor_id, client_event_id, rating,
        array(select jsonb_array_elements_text(reasons::jsonb)), comment
      from target order by idx
      on conflict (visitor_id, client_event_id) do nothing
      returning id, site_id, message_id, visitor_id, client_event_id, rating, reasons, comment
    ), newest as (
      select distinct on (ins.message_id, ins.visitor_id) ins.*
      from ins join target t on t.visitor_id = ins.visitor_id and t.client_event_id = ins.client_event_id
      order by ins.message_id, ins.visitor_id, t.idx desc
    ), cur as (
      insert into feedback (message_id, visitor_id, site_id, rating, reasons, comment, event_id, updated_at)
      select message_id, visitor_id, site_id, rating, reasons, comment, id, now() from newest
      on conflict (message_id, visitor_id) do update set rating = excluded.rating, reasons = excluded.reasons,
        comment = excluded.comment, event_id = excluded.event_id, updated_at = excluded.updated_at
      returning 1
    ) -- (data-modifying CTEs always run to completion, read or not)
    select i.idx, (t.idx is not null) as found,
      exists (select 1 from ins where ins.visitor_id = i.visitor_id and ins.client_event_id = i.client_event_id) as inserted
    from input i left join target t on t.idx = i.idx
    order by i.idx`;
  // Two items of one batch with the same client id: the first is stored, later ones are duplicates.
  const seen = new Set<string>();
  return rows.map((r) => {
    if (!r.found) return 'not_found';
    const key = `${items[r.idx]!.visitorId}/${items[r.idx]!.clientEventId}`;
    if (!r.inserted || seen.has(key)) return 'duplicate';
    seen.add(key);
    return 'stored';
  });
}
