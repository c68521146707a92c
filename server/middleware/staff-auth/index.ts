import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { unauthorized } from '../../errors.js';
import { resolveSession } from '../../services/auth/resolve-session.js';
import { resolveApiToken } from '../../services/tokens/resolve.js';
import type { AdminEnv } from './env.js';

export type { AdminEnv } from './env.js';
export { siteAccess } from './site-access.js';

/** Name of the staff session cookie. */
export const SESSION_COOKIE = 'rapport_session';

export interface StaffAuthOptions {
  /** Session cookie name (default `rapport_session`). */
  cookie?: string;
}

/**
 * Authenticates staff: `Authorization: Bearer <api token>` when the header is present, otherwise the
 * session cookie. Sets `staff` ({userId, email, via}) and `csrfToken` for the `csrf()` middleware.
 * No valid credential → 401.
 */
export function staffAuth(options: StaffAuthOptions = {}): MiddlewareHandler<AdminEnv> {
  const cookieName = options.cookie ?? SESSION_COOKIE;
  return async function staffAuthMiddleware(c, next) {
    const { db } = c.get('deps');
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      if (!token) throw unauthorized('send the API token as "Authorization: Bearer rk_…"');
      const who = await resolveApiToken({ db, token });
      if (!who) throw unauthorized('this API token is unknown or revoked: create a new one with POST /v1/admin/tokens');
      c.set('staff', { ...who, via: 'token' });
      c.set('csrfToken', null);
      return next();
    }
    const sessionToken = getCookie(c, cookieName);
    if (!sessionToken) {
      throw unauthorized('sign in first (POST /v1/admin/auth/login) or send "Authorization: Bearer <api token>"');
    }
    const session = await resolveSession({ db, sessionToken });
    if (!session) throw unauthorized('your session has expired or was signed out: sign in again');
    c.set('staff', { userId: session.userId, email: session.email, via: 'session' });
    c.set('csrfToken', session.csrfToken);
    return next();
  };
}
