import type { FeedbackRequest, FeedbackResponse } from '../../../protocol/widget.js';
import type { AppDeps } from '../../deps.js';
import { notFound } from '../../errors.js';
import type { Visitor } from './conversations.js';
import { feedbackView } from './views.js';

type Current = { message_id: string | null; rating: 'up' | 'down' | null; reasons: string[] | null; comment: string | null };

/**
 * Thumbs on an assistant message of the visitor's own conversation. This is the hottest write path, so
 * it is one statement (one round trip, one commit): check ownership, append the event (ignored when its
 * client id was seen before: idempotent), and set the visitor's current value from it. The answer is
 * sent only after the commit, so every acknowledged event is stored.
 */
export async function recordFeedback({
  deps,
  visitor,
  messageId,
  input,
}: {
  deps: AppDeps;
  visitor: Visitor;
  messageId: string;
  input: FeedbackRequest;
}): Promise<FeedbackResponse> {
  const { sql } = deps;
  const reasons = input.reasons ?? [];
  const comment = input.comment?.trim() || null;
  const [row] = await sql<(Current & { found: number })[]>`
    with target as (
      select m.id, m.site_id from messages m
      join conversations c on c.id = m.conversation_id
      where m.id = ${messageId} and m.role = 'assistant' and m.site_id = ${visitor.siteId}
        and c.visitor_id = ${visitor.visitorId}
    ), ins as (
      insert into feedback_events (site_id, message_id, visitor_id, client_event_id, rating, reasons, comment)
      select site_id, id, ${visitor.visitorId}, ${input.clientEventId}, ${input.rating}::rating, ${reasons}::text[], ${comment}
      from target
      on conflict (visitor_id, client_event_id) do nothing
      returning id, site_id, message_id, rating, reasons, comment
    ), cur as (
      insert into feedback (message_id, visitor_id, site_id, rating, reasons, comment, event_id, updated_at)
      select message_id, ${visitor.visitorId}, site_id, rating, reasons, comment, id, now() from ins
      on conflict (message_id, visitor_id) do update set rating = excluded.rating, reasons = excluded.reasons,
        comment = excluded.comment, event_id = excluded.event_id, updated_at = excluded.updated_at
      returning message_id, rating, reasons, comment
    )
    select (select count(*)::int from target) as found, cur.* from (select 1) as one left join cur on true`;
  if (!row || row.found === 0) throw notFound('assistant message');
  if (row.message_id) {
    return { feedback: feedbackView({ messageId, rating: row.rating, reasons: row.reasons ?? [], comment: row.comment }), duplicate: false };
  }
  // The same event was stored before: answer with the current value, change nothing.
  const [current] = await sql<Current[]>`
    select message_id, rating, reasons, comment from feedback
    where message_id = ${messageId} and visitor_id = ${visitor.visitorId}`;
  return {
    feedback: feedbackView({
      messageId,
      rating: current?.rating ?? null,
      reasons: current?.reasons ?? [],
      comment: current?.comment ?? null,
    }),
    duplicate: true,
  };
}
