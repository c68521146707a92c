import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../deps.js';
import { forbidden, unauthorized } from '../../errors.js';
import { ErrorCode } from '../../../protocol/errors.js';
import { originAllowed } from '../../services/widget/origin.js';
import { siteCache } from '../../services/widget/site-cache.js';
import { requestHeader } from '../../http/header.js';
import type { Visitor } from '../../services/widget/conversations.js';
import { verifiedTokens } from '../../services/widget/verified-tokens.js';

/**
 * Widget routes after the session: `Authorization: Bearer <visitor token>` must verify, its site must
 * still exist, and the request's Origin must still be allowed by that site (a site that removes an
 * origin cuts off live tokens within the site cache's TTL).
 */
export function visitorAuth(): MiddlewareHandler<AppEnv> {
  return async function visitorAuthMiddleware(c, next) {
    c.set('visitor', await authenticateVisitor(c));
    await next();
  };
}

/** The checks of `visitorAuth()`: the request's visitor, or a 401/403 AppError. */
export async function authenticateVisitor(c: Context<AppEnv>): Promise<Visitor> {
  const { config, db } = c.get('deps');
  const header = requestHeader(c, 'authorization') ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!token) throw unauthorized('missing visitor token: send Authorization: Bearer <visitorToken> from POST /v1/widget/sessions');
  const claims = verifiedTokens(config.secret).verify(token);
  if (!claims) throw unauthorized('invalid or expired visitor token: start a new session with POST /v1/widget/sessions');
  const site = await siteCache(db).byIdentifier(claims.siteId);
  if (!site) throw unauthorized('the site of this token no longer exists');
  const origin = requestHeader(c, 'origin');
  if (!originAllowed(site.allowedOrigins, origin)) {
    throw forbidden(`origin ${origin ?? '(none)'} is not allowed for this site`, ErrorCode.originNotAllowed);
  }
  return { siteId: claims.siteId, visitorId: claims.visitorId };
}
