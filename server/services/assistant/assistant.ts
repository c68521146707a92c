import { eq } from 'drizzle-orm';
import { KnowledgeIndex } from '../../../assistant/retrieval/index.js';
import { DEFAULT_RETRIEVAL, RetrievalResponder } from '../../../assistant/retrieval/responder.js';
import type { Responder } from '../../../assistant/responder.js';
import type { Db } from '../../db/client.js';
import { knowledgeEntries, type Site } from '../../db/schema.js';

/** Picks the responder that answers for a site. Today: retrieval over its knowledge base. */
export interface AssistantService {
  responderFor(site: Pick<Site, 'id' | 'knowledgeVersion'>): Promise<Responder>;
}

/**
 * Keeps one retrieval index per site in memory, rebuilt when the site's `knowledge_version` moves
 * (every import bumps it), so several server processes stay correct without any messaging.
 */
export function createAssistantService(db: Db): AssistantService {
  const cache = new Map<string, { version: number; responder: Promise<Responder> }>();

  async function build(siteId: string, version: number): Promise<Responder> {
    const rows = await db
      .select({ id: knowledgeEntries.id, question: knowledgeEntries.question, answer: knowledgeEntries.answer })
      .from(knowledgeEntries)
      .where(eq(knowledgeEntries.siteId, siteId));
    return new RetrievalResponder(new KnowledgeIndex(rows), { ...DEFAULT_RETRIEVAL, version: `kb-${version}` });
  }

  return {
    responderFor(site) {
      const hit = cache.get(site.id);
      if (hit && hit.version === site.knowledgeVersion) return hit.responder;
      const responder = build(site.id, site.knowledgeVersion);
      cache.set(site.id, { version: site.knowledgeVersion, responder });
      responder.catch(() => cache.delete(site.id));
      return responder;
    },
  };
}
