import { and, eq } from 'drizzle-orm';
import type { StaffRole } from '../../../protocol/admin.js';
import type { Db, Tx } from '../../db/client.js';
import { conversations, memberships, messages, type Conversation, type MessageRow } from '../../db/schema.js';
import { notFound } from '../../errors.js';

/**
 * A conversation of a site the staff member belongs to, with their role there. Any other
 * conversation is a 404, exactly like one that does not exist.
 */
export async function staffConversation(
  db: Db | Tx,
  userId: string,
  conversationId: string,
): Promise<{ conversation: Conversation; role: StaffRole }> {
  const [row] = await db
    .select({ conversation: conversations, role: memberships.role })
    .from(conversations)
    .innerJoin(memberships, and(eq(memberships.siteId, conversations.siteId), eq(memberships.userId, userId)))
    .where(eq(conversations.id, conversationId));
  if (!row) throw notFound('conversation');
  return row;
}

/** A message of a site the staff member belongs to; any other message is a 404. */
export async function staffMessage(
  db: Db | Tx,
  userId: string,
  messageId: string,
): Promise<{ message: MessageRow; role: StaffRole }> {
  const [row] = await db
    .select({ message: messages, role: memberships.role })
    .from(messages)
    .innerJoin(memberships, and(eq(memberships.siteId, messages.siteId), eq(memberships.userId, userId)))
    .where(eq(messages.id, messageId));
  if (!row) throw notFound('message');
  return row;
}
