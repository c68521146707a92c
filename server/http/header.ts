import type { Context } from 'hono';

/**
 * A request header, read from Node's own parsed headers when served by @hono/node-server: `c.req.header()`
 * first builds a WHATWG Headers copy of every header (a visible share of a small request's CPU). Elsewhere
 * (tests' `app.request`, other runtimes) it is `c.req.header(name)`. `name` must be lower case.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: { headers?: Record<string, string | string[] | undefined> } } | undefined)?.incoming;
  if (incoming?.headers) {
    const value = incoming.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }
  return c.req.header(name);
}
