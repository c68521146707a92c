import type { Context } from 'hono';

/**
 * Scheme and host the client used. Behind a proxy you run (TRUST_PROXY), the X-Forwarded-Proto/Host
 * headers say what the browser saw; otherwise the request URL does.
 */
export function requestOrigin(c: Context, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  if (trustProxy) {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
    if (proto || host) return `${proto || url.protocol.replace(/:$/, '')}://${host || url.host}`;
  }
  return url.origin;
}

/** Whether the client reached us over https (decides the cookie's Secure flag). */
export const isHttps = (c: Context, trustProxy: boolean) => requestOrigin(c, trustProxy).startsWith('https:');
