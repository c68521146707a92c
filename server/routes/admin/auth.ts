import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { LoginRequest } from '../../../protocol/admin.js';
import { clientIp } from '../../http/client-ip.js';
import { parseJson } from '../../http/parse.js';
import { rateLimit } from '../../middleware/rate-limit/index.js';
import { SESSION_COOKIE, type AdminEnv } from '../../middleware/staff-auth/index.js';
import { login, SESSION_TTL_MS } from '../../services/auth/login.js';
import { logout } from '../../services/auth/logout.js';
import { getMe } from '../../services/staff/get-me.js';
import { isHttps } from './request-origin.js';

/** Login attempts per client IP per minute: slows password guessing to a crawl. */
export const LOGIN_ATTEMPTS_PER_MIN = 10;

/** `POST /auth/login`: the one admin route open without credentials. */
export function loginRoutes(): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  const loginLimit = rateLimit({
    rules: [
      {
        name: 'admin-login',
        key: (c) => clientIp(c, c.get('deps').config.trustProxy),
        limit: () => LOGIN_ATTEMPTS_PER_MIN,
      },
    ],
  });
  r.post('/auth/login', loginLimit, async (c) => {
    const { db, config } = c.get('deps');
    const result = await login({ db, input: await parseJson(c, LoginRequest) });
    setCookie(c, SESSION_COOKIE, result.sessionToken, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      secure: isHttps(c, config.trustProxy),
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
      expires: result.expiresAt,
    });
    return c.json({ user: result.user, csrfToken: result.csrfToken });
  });
  return r;
}

/** `POST /auth/logout` and `GET /me`, behind staffAuth + csrf. */
export function sessionRoutes(): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.post('/auth/logout', async (c) => {
    const sessionToken = c.get('staff').via === 'session' ? getCookie(c, SESSION_COOKIE) : undefined;
    if (sessionToken) await logout({ db: c.get('deps').db, sessionToken });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true as const });
  });
  r.get('/me', async (c) => {
    const me = await getMe({ db: c.get('deps').db, userId: c.get('staff').userId });
    const csrfToken = c.get('csrfToken');
    return c.json(csrfToken ? { ...me, csrfToken } : me);
  });
  return r;
}
