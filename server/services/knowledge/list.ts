import { and, asc, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { KnowledgeListQuery, KnowledgeListResponse } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { knowledgeEntries } from '../../db/schema.js';

/** `q` is a literal substring: escape LIKE's wildcards. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** A page of a site's knowledge base, newest first, optionally filtered by a substring; with the total. */
export async function listKnowledge({
  db,
  siteId,
  query,
}: {
  db: Db;
  siteId: string;
  query: KnowledgeListQuery;
}): Promise<KnowledgeListResponse> {
  const filters: SQL[] = [eq(knowledgeEntries.siteId, siteId)];
  if (query.q) {
    const pattern = likePattern(query.q);
    filters.push(or(ilike(knowledgeEntries.question, pattern), ilike(knowledgeEntries.answer, pattern))!);
  }
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(knowledgeEntries)
      .where(where)
      .orderBy(desc(knowledgeEntries.createdAt), asc(knowledgeEntries.question), asc(knowledgeEntries.id))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ n: count() }).from(knowledgeEntries).where(where),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      question: r.question,
      answer: r.answer,
      intent: r.intent,
      createdAt: r.createdAt.toISOString(),
    })),
    total: total?.n ?? 0,
    limit: query.limit,
    offset: query.offset,
  };
}
