import type postgres from 'postgres';
import type { Rating } from '../../../protocol/widget.js';
import { GroupCommit } from '../../db/group-commit.js';

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

/** Group commit for thumbs: the requests of a busy moment share one statement and one commit. */
export class FeedbackBatcher extends GroupCommit<FeedbackItem, FeedbackOutcome> {
  constructor(sql: postgres.Sql) {
    super((items) => writeBatch(sql, items));
  }
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
