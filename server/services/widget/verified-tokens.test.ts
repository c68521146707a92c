import { describe, expect, it } from 'vitest';
import { VerifiedTokens } from './verified-tokens.js';
import { signVisitorToken, VISITOR_TOKEN_TTL_S } from './visitor-token.js';

const secret = 'a'.repeat(32);
const claims = { siteId: '11111111-1111-4111-8111-111111111111', visitorId: '22222222-2222-4222-8222-222222222222' };

describe('verified token cache', () => {
  it('answers like the full check, including expiry after the token was cached', () => {
    const cache = new VerifiedTokens(secret);
    const token = signVisitorToken(secret, claims, 1_000);
    expect(cache.verify(token, 1_000)).toEqual({ ...claims, exp: 1_000 + VISITOR_TOKEN_TTL_S });
    expect(cache.verify(token, 2_000)).toEqual({ ...claims, exp: 1_000 + VISITOR_TOKEN_TTL_S });
    expect(cache.verify(token, 1_000 + VISITOR_TOKEN_TTL_S + 1)).toBeNull();
    expect(cache.verify(token, 1_000 + VISITOR_TOKEN_TTL_S + 2)).toBeNull();
  });

  it('never accepts what the full check refuses: other secrets, edited tokens, garbage', () => {
    const cache = new VerifiedTokens(secret);
    const good = signVisitorToken(secret, claims, 1_000);
    expect(cache.verify(good, 1_000)).not.toBeNull();
    expect(cache.verify(signVisitorToken('b'.repeat(32), claims, 1_000), 1_000)).toBeNull();
    expect(cache.verify(`${good}x`, 1_000)).toBeNull();
    expect(cache.verify(good.slice(0, -1), 1_000)).toBeNull();
    for (const junk of ['', 'v1', 'v1..', 'v2.a.b', 'v1.!!!.???']) expect(cache.verify(junk, 1_000)).toBeNull();
  });

  it('stays bounded, forgetting the oldest token first (which then verifies again)', () => {
    const cache = new VerifiedTokens(secret, 2);
    const tokens = ['a', 'b', 'c'].map((v) => signVisitorToken(secret, { ...claims, visitorId: v }, 1_000));
    for (const t of tokens) expect(cache.verify(t, 1_000)).not.toBeNull();
    expect((cache as unknown as { claims: Map<string, unknown> }).claims.size).toBe(2);
    expect(cache.verify(tokens[0]!, 1_000)?.visitorId).toBe('a');
  });
});
