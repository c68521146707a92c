import type { Comparison, FeedbackState, Message } from '../../../protocol/widget.js';
import type { ComparisonRow, MessageRow } from '../../db/schema.js';

/** Wire shape of a stored comparison (the visitor sees the two texts, never who wrote them). */
export function comparisonView(row: Pick<ComparisonRow, 'id' | 'a' | 'b' | 'choice'>): Comparison {
  return { id: row.id, a: row.a.content, b: row.b.content, choice: row.choice };
}

/** Wire shape of a stored message; `comparison` when the turn was shown side by side. */
export function messageView(
  row: Pick<MessageRow, 'id' | 'role' | 'content' | 'clientMessageId' | 'responder' | 'modelVersion' | 'createdAt'>,
  comparison: Pick<ComparisonRow, 'id' | 'a' | 'b' | 'choice'> | null = null,
): Message {
  return {
    id: row.id,
    role: row.role,
    content: row.content,
    clientMessageId: row.clientMessageId,
    responder: row.responder,
    modelVersion: row.modelVersion,
    comparison: comparison ? comparisonView(comparison) : null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export function feedbackView(row: {
  messageId: string;
  rating: 'up' | 'down' | null;
  reasons: string[];
  comment: string | null;
}): FeedbackState {
  return { messageId: row.messageId, rating: row.rating, reasons: row.reasons, comment: row.comment };
}
