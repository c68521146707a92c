import type { Context } from 'hono';

/**
 * The caller's IP: the socket's peer address (Node adapter bindings), or the first X-Forwarded-For hop
 * when `trustProxy` is set (only behind a proxy you run: the header is otherwise forgeable).
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
