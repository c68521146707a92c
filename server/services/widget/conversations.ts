import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ConversationView } from '../../../protocol/widget.js';
import type { Db } from '../../db/client.js';
import { comparisons, conversations, feedback, messages } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { feedbackView, messageView } from './views.js';

export interface Visitor {
  siteId: string;
  visitorId: string;
}

/** The visitor's own conversation, or 404 — another visitor's or another site's looks nonexistent. */
export async function ownConversation(db: Db, visitor: Visitor, conversationId: string) {
  const [row] = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.id, conversationId),
        eq(conversations.visitorId, visitor.visitorId),
        eq(conversations.siteId, visitor.siteId),
      ),
    )
    .limit(1);
  if (!row) throw notFound('conversation');
  return row;
}

/** Starts a conversation; the same clientConversationId returns the same one (idempotent retry). */
export async function createConversation({
  db,
  visitor,
  clientConversationId,
}: {
  db: Db;
  visitor: Visitor;
  clientConversationId?: string;
}): Promise<{ conversationId: string }> {
  const [created] = await db
    .insert(conversations)
    .values({ siteId: visitor.siteId, visitorId: visitor.visitorId, clientConversationId: clientConversationId ?? null })
    .onConflictDoNothing({ target: [conversations.visitorId, conversations.clientConversationId] })
    .returning({ id: conversations.id });
  if (created) return { conversationId: created.id };
  const [existing] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.visitorId, visitor.visitorId), eq(conversations.clientConversationId, clientConversationId!)));
  return { conversationId: existing!.id };
}

/** Everything the widget needs to redraw a conversation after a reload. */
export async function getConversation({
  db,
  visitor,
  conversationId,
}: {
  db: Db;
  visitor: Visitor;
  conversationId: string;
}): Promise<ConversationView> {
  const conversation = await ownConversation(db, visitor, conversationId);
  const rows = await db
    .select({ message: messages, comparison: comparisons })
    .from(messages)
    .leftJoin(comparisons, eq(comparisons.messageId, messages.id))
    .where(and(eq(messages.conversationId, conversationId), eq(messages.failed, false)))
    .orderBy(asc(messages.seq));
  const ids = rows.map((r) => r.message.id);
  const thumbs = ids.length
    ? await db
        .select()
        .from(feedback)
        .where(and(inArray(feedback.messageId, ids), eq(feedback.visitorId, visitor.visitorId)))
    : [];
  return {
    conversation: {
      id: conversation.id,
      status: conversation.status,
      createdAt: conversation.createdAt.toISOString(),
    },
    messages: rows.map((r) => messageView(r.message, r.comparison)),
    feedback: thumbs.map(feedbackView),
  };
}
