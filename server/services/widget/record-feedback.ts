import type postgres from 'postgres';
import type { FeedbackRequest, FeedbackResponse } from '../../../protocol/widget.js';
import type { AppDeps } from '../../deps.js';
import { notFound } from '../../errors.js';
import type { Visitor } from './conversations.js';
import { FeedbackBatcher } from './feedback-batcher.js';
import { feedbackView } from './views.js';

const batchers = new WeakMap<postgres.Sql, FeedbackBatcher>();

/**
 * Thumbs on an assistant message of the visitor's own conversation: appended to the history, whose
 * newest event per visitor and message is the current value. Idempotent on clientEventId: a resent event
 * changes nothing and answers with the current value. Goes through the group-commit batcher (the
 * hottest write path); answered only after commit, so every acknowledged event is stored.
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
  let batcher = batchers.get(deps.sql);
  if (!batcher) batchers.set(deps.sql, (batcher = new FeedbackBatcher(deps.sql)));
  const item = {
    siteId: visitor.siteId,
    visitorId: visitor.visitorId,
    messageId,
    clientEventId: input.clientEventId,
    rating: input.rating,
    reasons: input.reasons ?? [],
    comment: input.comment?.trim() || null,
  };
  const outcome = await batcher.record(item);
  if (outcome === 'not_found') throw notFound('assistant message');
  if (outcome === 'stored') return { feedback: feedbackView(item), duplicate: false };
  const [current] = await deps.sql<{ rating: 'up' | 'down' | null; reasons: string[]; comment: string | null }[]>`
    select rating, reasons, comment from feedback where message_id = ${messageId} and visitor_id = ${visitor.visitorId}`;
  return {
    feedback: feedbackView({ messageId, rating: current?.rating ?? null, reasons: current?.reasons ?? [], comment: current?.comment ?? null }),
    duplicate: true,
  };
}
