import { Hono } from 'hono';
import type { AppEnv } from '../../deps.js';

/** Staff API under /v1/admin. */
export function adminRoutes(): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  return r;
}
