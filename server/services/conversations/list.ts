import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { ConversationListQuery, ConversationListResponse } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { conversations, feedback, flags, messages } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { summaryExtras } from './summary-counts.js';

const hasRating = (rating: 'up' | 'down') => sql`exists (
  select 1 from ${feedback} join ${messages} on ${messages.id} = ${feedback.messageId}
  where ${messages.conversationId} = ${conversations.id} and ${feedback.rating} = ${rating})`;
const hasFlag = sql`exists (select 1 from ${flags} where ${flags.conversationId} = ${conversations.id})`;

/**
 * One page of a site's conversations, most recently active first, with filters, the first visitor
 * message as preview and per-conversation counts. Keyset pagination on (updated_at, id) — served by
 * conversations_site_updated_idx — so pages stay stable while new conversations arrive.
 */
export async function listConversations({
  db,
  siteId,
  query,
}: {
  db: Db;
  siteId: string;
  query: ConversationListQuery;
}): Promise<ConversationListResponse> {
  // Filters live in WHERE, where drizzle qualifies every column, so the correlated EXISTS are safe.
  const filters: SQL[] = [eq(conversations.siteId, siteId)];
  if (query.status) filters.push(eq(conversations.status, query.status));
  if (query.rating) filters.push(hasRating(query.rating));
  if (query.flagged !== undefined) filters.push(query.flagged ? hasFlag : sql`not ${hasFlag}`);
  if (query.from) filters.push(gte(conversations.updatedAt, new Date(query.from)));
  if (query.to) filters.push(lt(conversations.updatedAt, new Date(query.to)));
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    filters.push(sql`(${conversations.updatedAt}, ${conversations.id}) < (${c.updatedAt}::timestamptz, ${c.id}::uuid)`);
  }
  const rows = await db
    .select({ c: conversations, key: sql<string>`${conversations.updatedAt}::text` })
    .from(conversations)
    .where(and(...filters))
    .orderBy(desc(conversations.updatedAt), desc(conversations.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const extras = await summaryExtras(
    db,
    page.map((r) => r.c.id),
  );
  const last = page[page.length - 1];
  return {
    conversations: page.map(({ c }) => ({
      id: c.id,
      status: c.status,
      visitorId: c.visitorId,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      resolvedAt: c.resolvedAt?.toISOString() ?? null,
      ...extras.get(c.id)!,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ updatedAt: last.key, id: last.c.id }) : null,
  };
}
