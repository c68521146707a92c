import { and, eq, sql } from 'drizzle-orm';
import type { FlagRequest, FlagResponse } from '../../../protocol/widget.js';
import type { AppDeps } from '../../deps.js';
import { conversations, flags } from '../../db/schema.js';
import { ownConversation, type Visitor } from './conversations.js';

/**
 * The visitor flagged the conversation (wrong, harmful, wants a human, other). It goes to the staff
 * review queue (status `flagged`, also when it had been resolved: the visitor is still unhappy).
 * Idempotent on the client event id.
 */
export async function flagConversation({
  deps,
  visitor,
  conversationId,
  input,
}: {
  deps: AppDeps;
  visitor: Visitor;
  conversationId: string;
  input: FlagRequest;
}): Promise<FlagResponse> {
  await ownConversation(deps.db, visitor, conversationId);
  return deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(flags)
      .values({
        siteId: visitor.siteId,
        conversationId,
        visitorId: visitor.visitorId,
        clientEventId: input.clientEventId,
        reason: input.reason,
        comment: input.comment?.trim() || null,
      })
      .onConflictDoNothing({ target: [flags.visitorId, flags.clientEventId] })
      .returning({ id: flags.id });
    if (created) {
      await tx
        .update(conversations)
        .set({ status: 'flagged', updatedAt: sql`now()`, resolvedAt: null })
        .where(eq(conversations.id, conversationId));
    }
    const [flag] = created
      ? [created]
      : await tx
          .select({ id: flags.id })
          .from(flags)
          .where(and(eq(flags.visitorId, visitor.visitorId), eq(flags.clientEventId, input.clientEventId)));
    const [conv] = await tx.select({ status: conversations.status }).from(conversations).where(eq(conversations.id, conversationId));
    return { flagId: flag!.id, status: conv!.status, duplicate: !created };
  });
}
