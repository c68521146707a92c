import { and, eq, ne } from 'drizzle-orm';
import type { ResolveResponse } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { conversations } from '../../db/schema.js';
import { recordAudit } from '../audit/record.js';
import { staffConversation } from './scope.js';

/**
 * Marks a conversation resolved (any member may: reviewers work the flagged queue). Resolving an
 * already resolved conversation changes nothing and writes no second audit row.
 */
export async function resolveConversation({
  db,
  userId,
  conversationId,
}: {
  db: Db;
  userId: string;
  conversationId: string;
}): Promise<ResolveResponse> {
  return db.transaction(async (tx) => {
    const { conversation } = await staffConversation(tx, userId, conversationId);
    const [changed] = await tx
      .update(conversations)
      .set({ status: 'resolved', resolvedAt: new Date() })
      .where(and(eq(conversations.id, conversation.id), ne(conversations.status, 'resolved')))
      .returning();
    if (changed) {
      await recordAudit(tx, {
        siteId: conversation.siteId,
        actorUserId: userId,
        action: 'conversation.resolve',
        target: conversation.id,
        data: { from: conversation.status },
      });
    }
    const c = changed ?? conversation;
    return { id: c.id, status: c.status, resolvedAt: c.resolvedAt?.toISOString() ?? null };
  });
}
