import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { KnowledgeInput } from '../../../protocol/admin.js';
import { ErrorCode } from '../../../protocol/errors.js';
import type { Db } from '../../db/client.js';
import { knowledgeEntries, sites } from '../../db/schema.js';
import { badRequest, notFound } from '../../errors.js';
import { describeIssue } from '../../http/parse.js';
import { recordAudit } from '../audit/record.js';
import type { KnowledgeEntryInput } from './parse.js';

/** Rows per INSERT: ~500 × 5 parameters stays far below Postgres' 65 535-parameter limit. */
const BATCH = 500;

/** Identity of an entry: the same question and answer imported twice is stored once. */
export function knowledgeHash(question: string, answer: string): string {
  return createHash('sha256').update(`${question}\n${answer}`).digest('hex');
}

/**
 * Adds entries to a site's knowledge base in one transaction, skipping ones already present
 * (unique (site, content_hash) + ON CONFLICT DO NOTHING), and bumps `knowledge_version` when anything
 * was added so every server rebuilds its retrieval index. Re-importing a file adds nothing. Entries
 * are validated (and trimmed) first: an invalid one is a 400 and nothing is stored.
 */
export async function importKnowledge({
  db,
  siteId,
  entries,
  actorUserId,
}: {
  db: Db;
  siteId: string;
  entries: KnowledgeEntryInput[];
  actorUserId?: string;
}): Promise<{ added: number; skipped: number }> {
  // Callers other than the upload route (CLI, demo seed) hand entries in directly: hold them to the same rules.
  const rows = entries.map((raw, i) => {
    const checked = KnowledgeInput.safeParse(raw);
    if (!checked.success) throw badRequest(`entry ${i + 1}: ${describeIssue(checked.error)}`, ErrorCode.validation);
    const e = checked.data;
    return { siteId, question: e.question, answer: e.answer, intent: e.intent ?? null, contentHash: knowledgeHash(e.question, e.answer) };
  });
  return db.transaction(async (tx) => {
    // Row lock: concurrent imports into one site queue up instead of racing on the version bump.
    const [site] = await tx.select({ id: sites.id }).from(sites).where(eq(sites.id, siteId)).for('update');
    if (!site) throw notFound('site');
    let added = 0;
    for (let i = 0; i < rows.length; i += BATCH) {
      const inserted = await tx
        .insert(knowledgeEntries)
        .values(rows.slice(i, i + BATCH))
        .onConflictDoNothing({ target: [knowledgeEntries.siteId, knowledgeEntries.contentHash] })
        .returning({ id: knowledgeEntries.id });
      added += inserted.length;
    }
    const skipped = rows.length - added;
    if (added > 0) {
      await tx
        .update(sites)
        .set({ knowledgeVersion: sql`${sites.knowledgeVersion} + 1` })
        .where(eq(sites.id, siteId));
    }
    await recordAudit(tx, { siteId, actorUserId, action: 'knowledge.import', target: siteId, data: { added, skipped } });
    return { added, skipped };
  });
}
