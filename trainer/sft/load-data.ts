/** Everything an SFT run reads from the database about its site. */
import { asc, eq } from 'drizzle-orm';
import type { SftLine } from '../../protocol/admin.js';
import type { Passage } from '../../assistant/retrieval/index.js';
import type { Db } from '../../server/db/client.js';
import { knowledgeEntries, sites } from '../../server/db/schema.js';
import { exportSft } from '../../server/services/exports/sft.js';
import { BadInputError } from '../errors.js';

export interface SftData {
  persona: string;
  /** The whole knowledge base, oldest first (a stable order for a seeded run). */
  knowledge: Passage[];
  /** Feedback lines (exportSft): corrections, chosen comparison sides, up-rated answers. */
  lines: SftLine[];
}

export async function loadSftData(db: Db, siteId: string, { includeFeedback }: { includeFeedback: boolean }): Promise<SftData> {
  const [site] = await db.select({ persona: sites.persona }).from(sites).where(eq(sites.id, siteId));
  if (!site) throw new BadInputError(`site ${siteId} no longer exists: nothing to train`);
  const knowledge = await db
    .select({ id: knowledgeEntries.id, question: knowledgeEntries.question, answer: knowledgeEntries.answer })
    .from(knowledgeEntries)
    .where(eq(knowledgeEntries.siteId, siteId))
    .orderBy(asc(knowledgeEntries.createdAt), asc(knowledgeEntries.id));
  const lines: SftLine[] = [];
  if (includeFeedback) for await (const line of exportSft({ db, siteId })) lines.push(line);
  return { persona: site.persona, knowledge, lines };
}
