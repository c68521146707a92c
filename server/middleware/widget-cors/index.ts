import type { MiddlewareHandler } from 'hono';
import { requestHeader } from '../../http/header.js';

/**
 * CORS for the widget API: any page may ask (preflights succeed for every origin) because the site's
 * allowlist, not CORS, decides — sessions and every authenticated call check Origin against it.
 * Headers are set before the handler runs (see security-headers for why not afterwards).
 */
export function widgetCors(options: { maxAgeS?: number } = {}): MiddlewareHandler {
  const maxAge = String(options.maxAgeS ?? 600);
  return async function widgetCorsMiddleware(c, next) {
    const origin = requestHeader(c, 'origin');
    if (c.req.method === 'OPTIONS') {
      const headers: Record<string, string> = {
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
        'Access-Control-Max-Age': maxAge,
        Vary: 'Origin',
      };
      if (origin) headers['Access-Control-Allow-Origin'] = origin;
      return c.body(null, 204, headers);
    }
    for (const [k, v] of Object.entries(corsHeaders(origin))) c.header(k, v);
    await next();
  };
}

/** The CORS headers of a (non-preflight) widget answer to a page on `origin`. */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  return origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
}
