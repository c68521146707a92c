import { Hono } from 'hono';
import { KnowledgeListQuery } from '../../../protocol/admin.js';
import { validate } from '../../http/parse.js';
import { siteAccess, type AdminEnv } from '../../middleware/staff-auth/index.js';
import { importKnowledge } from '../../services/knowledge/import.js';
import { listKnowledge } from '../../services/knowledge/list.js';
import { parseKnowledge } from '../../services/knowledge/parse.js';

/** A site's knowledge base: paginated list, and imports as JSON, JSONL or CSV (by Content-Type). */
export function knowledgeRoutes(): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.get('/sites/:id/knowledge', siteAccess('read'), async (c) => {
    const query = validate(KnowledgeListQuery, c.req.query());
    return c.json(await listKnowledge({ db: c.get('deps').db, siteId: c.get('site').id, query }));
  });
  r.post('/sites/:id/knowledge', siteAccess('manage'), async (c) => {
    const entries = parseKnowledge(await c.req.text(), c.req.header('content-type') ?? '');
    const result = await importKnowledge({
      db: c.get('deps').db,
      siteId: c.get('site').id,
      entries,
      actorUserId: c.get('staff').userId,
    });
    return c.json(result);
  });
  return r;
}
