import { z } from 'zod';

/** Every 4xx/5xx body the API sends: `{"error":{"code","message"}}`. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Stable error codes; clients branch on these, never on messages. */
export const ErrorCode = {
  badRequest: 'bad_request',
  invalidJson: 'invalid_json',
  validation: 'validation_failed',
  tooLarge: 'payload_too_large',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  originNotAllowed: 'origin_not_allowed',
  csrf: 'csrf_failed',
  notFound: 'not_found',
  conflict: 'conflict',
  rateLimited: 'rate_limited',
  unsupportedMediaType: 'unsupported_media_type',
  internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
