import { Hono } from 'hono';
import { CreateSiteRequest, UpdateSiteRequest } from '../../../protocol/admin.js';
import { parseJson, uuidParam } from '../../http/parse.js';
import { siteAccess, type AdminEnv } from '../../middleware/staff-auth/index.js';
import { createSite } from '../../services/sites/create.js';
import { getSite } from '../../services/sites/get.js';
import { listSites } from '../../services/sites/list.js';
import { getSnippet } from '../../services/sites/snippet.js';
import { updateSite } from '../../services/sites/update.js';
import { siteView } from '../../services/sites/view.js';
import { requestOrigin } from './request-origin.js';

/** Sites: list, create (the caller becomes owner), read, change settings, embed snippet. */
export function siteRoutes(): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.get('/sites', async (c) => {
    return c.json({ sites: await listSites({ db: c.get('deps').db, userId: c.get('staff').userId }) });
  });
  r.post('/sites', async (c) => {
    const input = await parseJson(c, CreateSiteRequest);
    const site = await createSite({ db: c.get('deps').db, input, ownerUserId: c.get('staff').userId });
    return c.json(siteView(site, 'owner'), 201);
  });
  r.get('/sites/:id', async (c) => {
    const siteId = uuidParam(c, 'id', 'site');
    return c.json(await getSite({ db: c.get('deps').db, userId: c.get('staff').userId, siteId }));
  });
  r.patch('/sites/:id', siteAccess('manage'), async (c) => {
    const input = await parseJson(c, UpdateSiteRequest);
    const { id, role } = c.get('site');
    const site = await updateSite({ db: c.get('deps').db, siteId: id, actorUserId: c.get('staff').userId, input });
    return c.json(siteView(site, role));
  });
  r.get('/sites/:id/snippet', siteAccess('read'), async (c) => {
    const { db, config } = c.get('deps');
    const publicUrl = config.publicUrl ?? requestOrigin(c, config.trustProxy);
    return c.json(await getSnippet({ db, siteId: c.get('site').id, publicUrl }));
  });
  return r;
}
