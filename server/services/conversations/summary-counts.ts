import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { feedback, flags, messages } from '../../db/schema.js';

const PREVIEW_CHARS = 200;

export interface SummaryExtras {
  preview: string | null;
  counts: { messages: number; thumbsUp: number; thumbsDown: number; flags: number };
}

/**
 * Preview and counts for one page of conversations: four grouped queries over the page's ids
 * (served by the per-conversation indexes), instead of four correlated subqueries per row.
 */
export async function summaryExtras(db: Db, conversationIds: string[]): Promise<Map<string, SummaryExtras>> {
  const out = new Map<string, SummaryExtras>(
    conversationIds.map((id) => [id, { preview: null, counts: { messages: 0, thumbsUp: 0, thumbsDown: 0, flags: 0 } }]),
  );
  if (conversationIds.length === 0) return out;
  const inPage = inArray(messages.conversationId, conversationIds);
  const [messageCounts, previews, thumbs, flagCounts] = await Promise.all([
    db.select({ id: messages.conversationId, n: count() }).from(messages).where(inPage).groupBy(messages.conversationId),
    db
      .selectDistinctOn([messages.conversationId], {
        id: messages.conversationId,
        text: sql<string>`left(${messages.content}, ${PREVIEW_CHARS})`,
      })
      .from(messages)
      .where(and(inPage, eq(messages.role, 'user')))
      .orderBy(messages.conversationId, asc(messages.seq)),
    db
      .select({
        id: messages.conversationId,
        up: sql<number>`count(*) filter (where ${feedback.rating} = 'up')::int`,
        down: sql<number>`count(*) filter (where ${feedback.rating} = 'down')::int`,
      })
      .from(feedback)
      .innerJoin(messages, eq(messages.id, feedback.messageId))
      .where(inPage)
      .groupBy(messages.conversationId),
    db
      .select({ id: flags.conversationId, n: count() })
      .from(flags)
      .where(inArray(flags.conversationId, conversationIds))
      .groupBy(flags.conversationId),
  ]);
  for (const r of messageCounts) out.get(r.id)!.counts.messages = r.n;
  for (const r of previews) out.get(r.id)!.preview = r.text;
  for (const r of thumbs) Object.assign(out.get(r.id)!.counts, { thumbsUp: r.up, thumbsDown: r.down });
  for (const r of flagCounts) out.get(r.id)!.counts.flags = r.n;
  return out;
}
