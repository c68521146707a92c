import { ErrorCode } from '../../../protocol/errors.js';
import { badRequest } from '../../errors.js';

/**
 * Normalises one allowlist entry to the form browsers send in the `Origin` header: `*`, or
 * `scheme://host[:port]` lower-cased, without a default port. A path, query, fragment or credentials
 * is refused (a trailing "/" alone is dropped), so the entry can match an Origin exactly.
 */
export function normalizeOrigin(raw: string): string {
  const value = raw.trim();
  if (value === '*') return '*';
  const refuse = (why: string) =>
    badRequest(
      `allowedOrigins: "${raw}" ${why}: use an origin like https://shop.example (scheme, host, optional port) or "*"`,
      ErrorCode.validation,
    );
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (!scheme) throw refuse('has no scheme');
  if (scheme === 'http' || scheme === 'https') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw refuse('is not a valid URL');
    }
    if (url.username || url.password) throw refuse('contains credentials');
    if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(value)) throw refuse('has a path, query or fragment');
    return url.origin;
  }
  // Other schemes (browser extensions, app shells): WHATWG gives them an opaque "null" origin, so check the shape.
  if (!/^[a-z][a-z0-9+.-]*:\/\/[a-z0-9.-]+(:\d{1,5})?\/?$/i.test(value)) throw refuse('is not scheme://host[:port]');
  return value.replace(/\/$/, '').toLowerCase();
}

/** Normalises every entry and drops duplicates, keeping the order given. */
export function normalizeOrigins(list: readonly string[]): string[] {
  return [...new Set(list.map(normalizeOrigin))];
}
