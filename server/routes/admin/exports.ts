import { Hono } from 'hono';
import { siteAccess, type AdminEnv } from '../../middleware/staff-auth/index.js';
import { exportPreferences } from '../../services/exports/preferences.js';
import { exportSft } from '../../services/exports/sft.js';
import { exportThumbs } from '../../services/exports/thumbs.js';
import { jsonlResponse } from './jsonl.js';

/** Training data of one site as JSONL (TRL conversational formats), streamed. */
export function exportRoutes(): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.get('/sites/:id/export/preferences.jsonl', siteAccess('read'), (c) =>
    jsonlResponse(c, 'preferences.jsonl', exportPreferences({ db: c.get('deps').db, siteId: c.get('site').id })),
  );
  r.get('/sites/:id/export/thumbs.jsonl', siteAccess('read'), (c) =>
    jsonlResponse(c, 'thumbs.jsonl', exportThumbs({ db: c.get('deps').db, siteId: c.get('site').id })),
  );
  r.get('/sites/:id/export/sft.jsonl', siteAccess('read'), (c) =>
    jsonlResponse(c, 'sft.jsonl', exportSft({ db: c.get('deps').db, siteId: c.get('site').id })),
  );
  return r;
}
