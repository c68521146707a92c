import { Hono } from 'hono';
import { ConversationListQuery, CreateCorrectionRequest } from '../../../protocol/admin.js';
import { parseJson, uuidParam, validate } from '../../http/parse.js';
import { siteAccess, type AdminEnv } from '../../middleware/staff-auth/index.js';
import { getConversation } from '../../services/conversations/get.js';
import { listConversations } from '../../services/conversations/list.js';
import { resolveConversation } from '../../services/conversations/resolve.js';
import { createCorrection } from '../../services/corrections/create.js';

/** Review: list a site's conversations, read one, resolve it, correct an answer. */
export function conversationRoutes(): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.get('/sites/:id/conversations', siteAccess('read'), async (c) => {
    const query = validate(ConversationListQuery, c.req.query());
    return c.json(await listConversations({ db: c.get('deps').db, siteId: c.get('site').id, query }));
  });
  r.get('/conversations/:id', async (c) => {
    const conversationId = uuidParam(c, 'id', 'conversation');
    return c.json(await getConversation({ db: c.get('deps').db, userId: c.get('staff').userId, conversationId }));
  });
  r.post('/conversations/:id/resolve', async (c) => {
    const conversationId = uuidParam(c, 'id', 'conversation');
    return c.json(await resolveConversation({ db: c.get('deps').db, userId: c.get('staff').userId, conversationId }));
  });
  r.post('/messages/:id/corrections', async (c) => {
    const messageId = uuidParam(c, 'id', 'message');
    const input = await parseJson(c, CreateCorrectionRequest);
    const correction = await createCorrection({ db: c.get('deps').db, userId: c.get('staff').userId, messageId, input });
    return c.json(correction, 201);
  });
  return r;
}
