import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a visitor token proves: this browser is visitor `visitorId` of site `siteId`, until `exp`. */
export interface VisitorClaims {
  siteId: string;
  visitorId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** Tokens live a day; the widget simply asks for a new one (same visitorId) when one is refused. */
export const VISITOR_TOKEN_TTL_S = 24 * 60 * 60;

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');
const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

/** `v1.<base64url(json)>.<base64url(hmac-sha256)>` — a compact JWT-like token, without JWT's algorithm choice. */
export function signVisitorToken(secret: string, claims: Omit<VisitorClaims, 'exp'>, nowS = Date.now() / 1000): string {
  const payload = b64(JSON.stringify({ s: claims.siteId, v: claims.visitorId, e: Math.floor(nowS) + VISITOR_TOKEN_TTL_S }));
  return `v1.${payload}.${b64(mac(secret, payload))}`;
}

/** The claims of a valid, unexpired token, or null for anything else (forged, expired, garbled). */
export function verifyVisitorToken(secret: string, token: string, nowS = Date.now() / 1000): VisitorClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1') return null;
  const [, payload, sig] = parts as [string, string, string];
  const expected = mac(secret, payload);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const { s, v, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof s !== 'string' || typeof v !== 'string' || typeof e !== 'number' || e < nowS) return null;
    return { siteId: s, visitorId: v, exp: e };
  } catch {
    return null;
  }
}
