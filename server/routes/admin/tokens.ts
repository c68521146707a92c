import { Hono } from 'hono';
import { CreateTokenRequest } from '../../../protocol/admin.js';
import { parseJson, uuidParam } from '../../http/parse.js';
import type { AdminEnv } from '../../middleware/staff-auth/index.js';
import { createApiToken } from '../../services/tokens/create.js';
import { listApiTokens } from '../../services/tokens/list.js';
import { revokeApiToken } from '../../services/tokens/revoke.js';

/** The caller's API tokens: create (shown once), list, revoke. */
export function tokenRoutes(): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.post('/tokens', async (c) => {
    const { name } = await parseJson(c, CreateTokenRequest);
    return c.json(await createApiToken({ db: c.get('deps').db, userId: c.get('staff').userId, name }), 201);
  });
  r.get('/tokens', async (c) => {
    return c.json({ tokens: await listApiTokens({ db: c.get('deps').db, userId: c.get('staff').userId }) });
  });
  r.delete('/tokens/:id', async (c) => {
    const tokenId = uuidParam(c, 'id', 'token');
    await revokeApiToken({ db: c.get('deps').db, userId: c.get('staff').userId, tokenId });
    return c.body(null, 204);
  });
  return r;
}
