import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ErrorCode } from '../../protocol/errors.js';
import { AppError } from '../errors.js';

/** The one place errors become HTTP: typed AppErrors keep their status; anything else is a logged 500. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof AppError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json({ error: { code: err.code, message: err.message } }, err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? ErrorCode.tooLarge : status === 401 ? ErrorCode.unauthorized : ErrorCode.badRequest;
    const message = status === 413 ? 'the request body is too large' : err.message || 'bad request';
    return c.json({ error: { code, message } }, status);
  }
  console.error(`[rapport] ${c.req.method} ${c.req.path} failed:`, err);
  return c.json({ error: { code: ErrorCode.internal, message: 'internal error: the server logged the details' } }, 500);
}

export function onNotFound(c: Context): Response {
  return c.json({ error: { code: ErrorCode.notFound, message: `no route ${c.req.method} ${c.req.path}` } }, 404);
}
