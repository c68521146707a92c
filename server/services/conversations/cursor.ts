import { ErrorCode } from '../../../protocol/errors.js';
import { badRequest } from '../../errors.js';

/**
 * Keyset position in a newest-first conversation list: (updated_at, id) of the last row shown.
 * The timestamp travels as Postgres' own text so its microseconds survive (a JS Date keeps
 * milliseconds only, which would skip or repeat rows that share a millisecond).
 */
export interface ListCursor {
  updatedAt: string;
  id: string;
}

export function encodeCursor(c: ListCursor): string {
  return Buffer.from(JSON.stringify([c.updatedAt, c.id])).toString('base64url');
}

export function decodeCursor(raw: string): ListCursor {
  try {
    const [updatedAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof updatedAt === 'string' &&
      /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/.test(updatedAt) &&
      typeof id === 'string' &&
      /^[0-9a-f-]{36}$/i.test(id)
    ) {
      return { updatedAt, id };
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('cursor: not a cursor this API returned: pass nextCursor from the previous page', ErrorCode.validation);
}
