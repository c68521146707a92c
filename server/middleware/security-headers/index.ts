import type { MiddlewareHandler } from 'hono';

/** hono's secureHeaders defaults, less the cross-origin isolation headers (the widget is embedded elsewhere). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

/**
 * Security headers, set *before* the handler runs so they join the response when it is built. hono's
 * secureHeaders edits `c.res.headers` afterwards, which turns @hono/node-server's lightweight response
 * into a full WHATWG Response on every request (measurable on the feedback hot path).
 */
export function securityHeaders(extra: Record<string, string> = {}): MiddlewareHandler {
  const headers = Object.entries({ ...SECURITY_HEADERS, ...extra });
  return async function securityHeadersMiddleware(c, next) {
    for (const [k, v] of headers) c.header(k, v);
    await next();
  };
}
