import { eq, sql } from 'drizzle-orm';
import type { Message } from '../../../protocol/widget.js';
import type { AppDeps } from '../../deps.js';
import { comparisons, conversations, messages } from '../../db/schema.js';
import type { Visitor } from './conversations.js';
import { messageView } from './views.js';

export interface ReplyDraft {
  responder: string;
  modelVersion: string;
  content: string;
}

/**
 * Stores the assistant's reply to one visitor message: a plain message, or (two drafts) a message
 * showing alternative `a` until the visitor chooses, plus its comparison row. `reply_to_id` is unique:
 * when two identical sends raced and both generated, the second insert loses and returns the first reply.
 */
export async function storeReply({
  deps,
  visitor,
  conversationId,
  userMessageId,
  replyId,
  drafts,
}: {
  deps: AppDeps;
  visitor: Visitor;
  conversationId: string;
  userMessageId: string;
  replyId: string;
  drafts: ReplyDraft[];
}): Promise<Message> {
  const [a, b] = drafts as [ReplyDraft, ReplyDraft | undefined];
  const stored = await deps.db.transaction(async (tx) => {
    const [message] = await tx
      .insert(messages)
      .values({
        id: replyId,
        siteId: visitor.siteId,
        conversationId,
        role: 'assistant',
        content: a.content,
        replyToId: userMessageId,
        responder: a.responder,
        modelVersion: a.modelVersion,
        alternatives: b ? [a, b] : null,
      })
      .onConflictDoNothing({ target: messages.replyToId })
      .returning();
    if (!message) return null;
    const comparison = b
      ? (await tx.insert(comparisons).values({ siteId: visitor.siteId, conversationId, messageId: message.id, a, b }).returning())[0]!
      : null;
    await tx.update(conversations).set({ updatedAt: sql`now()` }).where(eq(conversations.id, conversationId));
    return messageView(message, comparison);
  });
  if (stored) return stored;
  const [row] = await deps.db
    .select({ message: messages, comparison: comparisons })
    .from(messages)
    .leftJoin(comparisons, eq(comparisons.messageId, messages.id))
    .where(eq(messages.replyToId, userMessageId));
  return messageView(row!.message, row!.comparison);
}
