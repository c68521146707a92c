import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { tooLarge } from '../../errors.js';
import { requestHeader } from '../../http/header.js';

/**
 * Refuses bodies over `maxBytes` with 413. With a Content-Length (what browsers send for fetch bodies)
 * the header decides — Node's HTTP parser never delivers more bytes than it announces — and the body is
 * left for the adapter's fast direct read. hono's bodyLimit wraps the body in a web stream, which costs
 * ~15% of a small request's CPU, so it is used only for chunked bodies, where it must count bytes.
 */
export function bodyLimit(options: { maxBytes: number }): MiddlewareHandler {
  const onError = (): never => {
    throw tooLarge(`the body is over ${options.maxBytes} bytes`);
  };
  const streaming = honoBodyLimit({ maxSize: options.maxBytes, onError });
  return async function bodyLimitMiddleware(c, next) {
    const length = requestHeader(c, 'content-length');
    if (length === undefined) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
      return streaming(c, next);
    }
    if (!/^\d+$/.test(length) || Number(length) > options.maxBytes) onError();
    return next();
  };
}
