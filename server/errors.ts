import { ErrorCode } from '../protocol/errors.js';

/**
 * A failure a client can act on. Services throw these; `app.onError` turns them into
 * `{"error":{"code","message"}}` with `status`. Anything else is a 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, code: string = ErrorCode.badRequest) => new AppError(400, code, message);
export const unauthorized = (message: string) => new AppError(401, ErrorCode.unauthorized, message);
export const forbidden = (message: string, code: string = ErrorCode.forbidden) => new AppError(403, code, message);
export const notFound = (what: string) => new AppError(404, ErrorCode.notFound, `${what} not found`);
export const conflict = (message: string) => new AppError(409, ErrorCode.conflict, message);
export const tooLarge = (message: string) => new AppError(413, ErrorCode.tooLarge, message);
export const rateLimited = (retryAfterS: number) =>
  new AppError(429, ErrorCode.rateLimited, `too many requests: wait ${retryAfterS}s and retry`, {
    'Retry-After': String(retryAfterS),
  });
