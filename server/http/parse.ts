import type { Context } from 'hono';
import type { z } from 'zod';
import { ErrorCode } from '../../protocol/errors.js';
import { badRequest, AppError } from '../errors.js';
import { requestHeader } from './header.js';

/** Formats the first zod issue as "field: problem" so the client knows what to fix. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const path = issue.path.length ? issue.path.join('.') : 'body';
  return `${path}: ${issue.message}`;
}

/** Validates any value against a schema, throwing a 400 `validation_failed` the client can act on. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(describeIssue(result.error), ErrorCode.validation);
  return result.data;
}

/** Reads the JSON body and validates it. Malformed JSON → 400 `invalid_json`; wrong shape → 400. */
export async function parseJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = requestHeader(c, 'content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new AppError(415, ErrorCode.unsupportedMediaType, 'send the body as JSON with Content-Type: application/json');
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw badRequest('the body is not valid JSON', ErrorCode.invalidJson);
  }
  return validate(schema, body);
}

/** Validates a path parameter as a uuid; anything else is a 404 (an id that cannot exist). */
export function uuidParam(c: Context, name: string, what: string): string {
  const value = c.req.param(name) ?? '';
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new AppError(404, ErrorCode.notFound, `${what} not found`);
  }
  return value.toLowerCase();
}
