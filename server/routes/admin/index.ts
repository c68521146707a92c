import { Hono } from 'hono';
import { Limits } from '../../../protocol/limits.js';
import { bodyLimit } from '../../middleware/body-limit/index.js';
import { csrf } from '../../middleware/csrf/index.js';
import { staffAuth, type AdminEnv } from '../../middleware/staff-auth/index.js';
import { loginRoutes, sessionRoutes } from './auth.js';
import { conversationRoutes } from './conversations.js';
import { exportRoutes } from './exports.js';
import { knowledgeRoutes } from './knowledge.js';
import { siteRoutes } from './sites.js';
import { tokenRoutes } from './tokens.js';
import { trainingRoutes } from './training.js';

/**
 * Staff API under /v1/admin. Order matters: login is answered before `staffAuth()` runs; every
 * later route needs a session cookie (plus X-CSRF-Token on writes) or a bearer API token.
 * Bodies up to 20 MB (knowledge imports); larger → 413.
 */
export function adminRoutes(): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.use(bodyLimit({ maxBytes: Limits.adminBodyBytes }));
  r.route('/', loginRoutes());
  r.use(staffAuth(), csrf());
  r.route('/', sessionRoutes());
  r.route('/', siteRoutes());
  r.route('/', knowledgeRoutes());
  r.route('/', conversationRoutes());
  r.route('/', exportRoutes());
  r.route('/', tokenRoutes());
  r.route('/', trainingRoutes());
  return r;
}
