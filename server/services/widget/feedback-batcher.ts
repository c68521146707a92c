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
/**
 * Flushes in flight at once (each holds one pooled connection). One: everything that arrives while a
 * batch commits goes in the next, so batches are as large as the load allows. A batch costs Postgres a
 * fixed ~0.3 ms of CPU plus ~0.03 ms per event (`npm run bench -- feedback-batch`), so size is what makes
 * group commit pay: measured on the ingest bench, 1 in flight gave ~20 events per commit; 2 or 3 in flight
 * gave ~15, more Postgres CPU per event, and no gain in server CPU or latency.
 */
const MAX_IN_FLIGHT = 1;

/**
 * Group commit for thumbs. Requests arriving while earlier flushes run are written together in ONE
 * statement and ONE commit, so under load the cost of a commit is shared by many events. A flush starts
 * at the end of the event-loop turn its first item arrived in (setImmediate: no timer, no added wait),
 * so the requests that one socket read or one Redis reply let through go together. A request is
 * answered only after its batch committed.
 */
export class FeedbackBatcher {
  private queue: { item: FeedbackItem; resolve: (o: FeedbackOutcome) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly sql: postgres.Sql,
    private readonly options: { maxInFlight?: number; maxBatch?: number } = {},
  ) {}

  record(item: FeedbackItem): Promise<FeedbackOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= (this.options.maxInFlight ?? MAX_IN_FLIGHT)) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.options.maxBatch ?? MAX_BATCH);
    this.inFlight++;
    writeBatch(this.sql, batch.map((b) => b.item))
      .then(
        (outcomes) => batch.forEach((b, i) => b.resolve(outcomes[i]!)),
        (err) => batch.forEach((b) => b.reject(err)),
      )
      .finally(() => {
        this.inFlight--;
        this.schedule();
      });
    this.schedule();
  };
}

/**
 * Writes a batch: one statement, one commit. An item whose (visitor, client id) came earlier in the same
 * batch is not sent; it shares the earlier one's fate (stored → this one is a duplicate).
 */
export async function writeBatch(sql: postgres.Sql, items: FeedbackItem[]): Promise<FeedbackOutcome[]> {
  const firstOf = new Map<string, number>();
  const unique: number[] = [];
  const sameAs = items.map((it, i) => {
    const key = `${it.visitorId} ${it.clientEventId}`;
    const first = firstOf.get(key);
    if (first !== undefined) return first;
    firstOf.set(key, i);
    unique.push(i);
    return i;
  });
  const written = await insertEvents(sql, unique.length === items.length ? items : unique.map((i) => items[i]!));
  const outcomes = new Array<FeedbackOutcome>(items.length);
  unique.forEach((i, k) => (outcomes[i] = written[k]!));
  return sameAs.map((first, i) => (first === i ? outcomes[i]! : outcomes[first] === 'not_found' ? 'not_found' : 'duplicate'));
}

/**
 * The statement, for items with distinct client ids. Its input is one JSON array (one parameter: cheaper
 * to build than eight arrays, and parsed in C). Keeps the items whose message is an assistant message in
 * the visitor's own conversation on the same site, and appends them to the event history in arrival
 * order; the newest event is the current value (the `feedback` view), so there is nothing else to update.
 * A client id stored before is skipped: idempotent. Answers one row per kept item, whether it was
 * stored: a hashed lookup of the keys the insert returned (a join back to the input is quadratic under
 * the planner's one-row estimates for CTEs: 60 ms at 500 events). Items without a row were not found.
 */
async function insertEvents(sql: postgres.Sql, items: FeedbackItem[]): Promise<FeedbackOutcome[]> {
  const input = JSON.stringify(
    items.map((it, i) => ({
      i,
      s: it.siteId,
      v: it.visitorId,
      m: it.messageId,
      e: it.clientEventId,
      r: it.rating,
      x: it.reasons,
      c: it.comment,
    })),
  );
  const rows = await sql<{ i: number; inserted: boolean }[]>`
    with target as (
      select i.* from json_to_recordset(${input}::text::json)
        as i(i int, s uuid, v uuid, m uuid, e text, r rating, x text[], c text)
      cross join lateral ( -- (LIMIT keeps it a per-item primary-key probe, whatever the planner thinks of the input's size)
        select conversation_id from messages m where m.id = i.m and m.role = 'assistant' and m.site_id = i.s limit 1
      ) m
      join conversations c on c.id = m.conversation_id and c.visitor_id = i.v
    ), ins as (
      insert into feedback_events (site_id, message_id, visitor_id, client_event_id, rating, reasons, comment)
      select s, m, v, e, r, x, c from target order by i
      on conflict (visitor_id, client_event_id) do nothing
      returning visitor_id, client_event_id
    ) -- (a data-modifying CTE always runs to completion, read or not)
    select i, (v, e) in (select visitor_id, client_event_id from ins) as inserted from target`;
  const outcomes = new Array<FeedbackOutcome>(items.length).fill('not_found');
  for (const r of rows) outcomes[r.i] = r.inserted ? 'stored' : 'duplicate';
  return outcomes;
}
