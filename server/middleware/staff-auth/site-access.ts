import type { MiddlewareHandler } from 'hono';
import { uuidParam } from '../../http/parse.js';
import { assertAccess, findSiteRole, type Access } from '../../services/staff/site-role.js';
import type { AdminEnv } from './env.js';

/**
 * Guards routes under `/sites/:id`: the caller must be a member of that site (else 404, so other
 * sites' existence is not revealed) with a role that grants `access` (else 403). Sets `site`.
 * Runs after `staffAuth()`.
 */
export function siteAccess(access: Access, options: { param?: string } = {}): MiddlewareHandler<AdminEnv> {
  const param = options.param ?? 'id';
  return async function siteAccessMiddleware(c, next) {
    const siteId = uuidParam(c, param, 'site');
    const role = assertAccess(await findSiteRole(c.get('deps').db, c.get('staff').userId, siteId), access);
    c.set('site', { id: siteId, role });
    return next();
  };
}
