import { verifyVisitorToken, type VisitorClaims } from './visitor-token.js';

/** How many verified tokens a process remembers (a few MB at most); the oldest is forgotten first. */
const MAX_TOKENS = 10_000;

/**
 * Visitor tokens that verified, with their claims: a visitor's token is HMAC-checked once per process
 * instead of on every request (the HMAC was ~5% of a thumbs request's CPU). Only tokens that verified
 * are kept, under their exact text, so a forged or garbled token always takes the full check; expiry is
 * checked on every use. One cache per secret (see `verifiedTokens`).
 */
export class VerifiedTokens {
  private readonly claims = new Map<string, VisitorClaims>();

  constructor(
    private readonly secret: string,
    private readonly maxTokens = MAX_TOKENS,
  ) {}

  /** Same answer as `verifyVisitorToken(secret, token, nowS)`. */
  verify(token: string, nowS = Date.now() / 1000): VisitorClaims | null {
    const known = this.claims.get(token);
    if (known) {
      if (known.exp >= nowS) return known;
      this.claims.delete(token);
      return null;
    }
    const claims = verifyVisitorToken(this.secret, token, nowS);
    if (claims) {
      if (this.claims.size >= this.maxTokens) this.claims.delete(this.claims.keys().next().value!);
      this.claims.set(token, claims);
    }
    return claims;
  }
}

const caches = new Map<string, VerifiedTokens>();

/** The cache for `secret` (a process normally has one secret; tests make one app per secret). */
export function verifiedTokens(secret: string): VerifiedTokens {
  let cache = caches.get(secret);
  if (!cache) {
    if (caches.size >= 100) caches.delete(caches.keys().next().value!);
    caches.set(secret, (cache = new VerifiedTokens(secret)));
  }
  return cache;
}
