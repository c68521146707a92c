import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';

/** `/healthz`: the process is up. `/readyz`: Postgres and Redis answer (load balancers route on it). */
export function healthRoutes(): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.get('/healthz', (c) => c.json({ ok: true }));
  r.get('/readyz', async (c) => {
    const { sql, redis } = c.get('deps');
    const [pg, rd] = await Promise.allSettled([sql`select 1`, redis.ping()]);
    const checks = { postgres: pg.status === 'fulfilled', redis: rd.status === 'fulfilled' };
    return c.json({ ok: checks.postgres && checks.redis, checks }, checks.postgres && checks.redis ? 200 : 503);
  });
  return r;
}
