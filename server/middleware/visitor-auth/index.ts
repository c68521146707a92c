import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../deps.js';
import { forbidden, unauthorized } from '../../errors.js';
import { ErrorCode } from '../../../protocol/errors.js';
import { originAllowed } from '../../services/widget/origin.js';
import { siteCache } from '../../services/widget/site-cache.js';
import { verifyVisitorToken } from '../../services/widget/visitor-token.js';

/**
 * Widget routes after the session: `Authorization: Bearer <visitor token>` must verify, its site must
 * still exist, and the request's Origin must still be allowed by that site (a site that removes an
 * origin cuts off live tokens within the site cache's TTL).
 */
export function visitorAuth(): MiddlewareHandler<AppEnv> {
  return async function visitorAuthMiddleware(c, next) {
    const { config, db } = c.get('deps');
    const header = c.req.header('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) throw unauthorized('missing visitor token: send Authorization: Bearer <visitorToken> from POST /v1/widget/sessions');
    const claims = verifyVisitorToken(config.secret, token);
    if (!claims) throw unauthorized('invalid or expired visitor token: start a new session with POST /v1/widget/sessions');
    const site = await siteCache(db).byIdentifier(claims.siteId);
    if (!site) throw unauthorized('the site of this token no longer exists');
    if (!originAllowed(site.allowedOrigins, c.req.header('origin'))) {
      throw forbidden(`origin ${c.req.header('origin') ?? '(none)'} is not allowed for this site`, ErrorCode.originNotAllowed);
    }
    c.set('visitor', { siteId: claims.siteId, visitorId: claims.visitorId });
    await next();
  };
}
