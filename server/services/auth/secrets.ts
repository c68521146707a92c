import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A bearer secret: `bytes` random bytes, base64url (cookie- and header-safe). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * What we store for a session or API token: its sha256. The secrets are 256 random bits, so a fast
 * hash is enough (no salt or argon2 needed) and a leaked table does not yield live credentials.
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time string comparison (CSRF tokens). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
