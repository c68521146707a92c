import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '../../../protocol/errors.js';
import { forbidden } from '../../errors.js';
import { safeEqual } from '../../services/auth/secrets.js';
import type { AdminEnv } from '../staff-auth/env.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfOptions {
  /** Header that must echo the session's CSRF token (default `X-CSRF-Token`). */
  header?: string;
}

/**
 * Synchronizer-token CSRF check for cookie sessions: every unsafe request must carry the session's
 * token in a header, which a cross-site form or fetch cannot set. `hono/csrf` only inspects the
 * Origin of form content types, so JSON and CSV uploads would pass it; hence this one. Requests
 * authenticated by an API token carry no ambient credential and are not checked. Runs after
 * `staffAuth()`.
 */
export function csrf(options: CsrfOptions = {}): MiddlewareHandler<AdminEnv> {
  const header = options.header ?? 'X-CSRF-Token';
  return async function csrfMiddleware(c, next) {
    if (SAFE_METHODS.has(c.req.method) || c.get('staff').via !== 'session') return next();
    const expected = c.get('csrfToken');
    const sent = c.req.header(header);
    if (!expected || !sent || !safeEqual(sent, expected)) {
      throw forbidden(
        `cookie-authenticated writes need the ${header} header: use csrfToken from the login or GET /v1/admin/me response`,
        ErrorCode.csrf,
      );
    }
    return next();
  };
}
