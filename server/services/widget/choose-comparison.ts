import { and, eq, isNull } from 'drizzle-orm';
import type { ChoiceRequest, ChoiceResponse } from '../../../protocol/widget.js';
import type { AppDeps } from '../../deps.js';
import { comparisons, conversations, messages } from '../../db/schema.js';
import { conflict, notFound } from '../../errors.js';
import type { Visitor } from './conversations.js';
import { messageView } from './views.js';

/**
 * The visitor picked in a side-by-side turn. A choice is final: the same event resent is recognised
 * (duplicate), a different second choice is a 409. Choosing `b` makes b the message's visible content,
 * so the conversation continues from the answer the visitor preferred.
 */
export async function chooseComparison({
  deps,
  visitor,
  comparisonId,
  input,
}: {
  deps: AppDeps;
  visitor: Visitor;
  comparisonId: string;
  input: ChoiceRequest;
}): Promise<ChoiceResponse> {
  return deps.db.transaction(async (tx) => {
    const [owned] = await tx
      .select({ comparison: comparisons })
      .from(comparisons)
      .innerJoin(conversations, eq(conversations.id, comparisons.conversationId))
      .where(
        and(
          eq(comparisons.id, comparisonId),
          eq(comparisons.siteId, visitor.siteId),
          eq(conversations.visitorId, visitor.visitorId),
        ),
      )
      .for('update', { of: comparisons });
    if (!owned) throw notFound('comparison');
    let comparison = owned.comparison;
    let duplicate = false;
    if (comparison.choice !== null) {
      if (comparison.choiceClientEventId !== input.clientEventId) {
        throw conflict(`this comparison was already decided (${comparison.choice}); a choice cannot be changed`);
      }
      duplicate = true;
    } else {
      [comparison] = await tx
        .update(comparisons)
        .set({ choice: input.choice, choiceClientEventId: input.clientEventId, chosenAt: new Date() })
        .where(and(eq(comparisons.id, comparisonId), isNull(comparisons.choice)))
        .returning();
      if (input.choice === 'b') {
        const b = comparison!.b;
        await tx
          .update(messages)
          .set({ content: b.content, responder: b.responder, modelVersion: b.modelVersion })
          .where(eq(messages.id, comparison!.messageId));
      }
    }
    const [message] = await tx.select().from(messages).where(eq(messages.id, comparison!.messageId));
    return { comparison: messageView(message!, comparison!).comparison!, message: messageView(message!, comparison!), duplicate };
  });
}
