import { describe, expect, it } from 'vitest';
import { signVisitorToken, verifyVisitorToken, VISITOR_TOKEN_TTL_S } from './visitor-token.js';

const secret = 'a'.repeat(32);
const claims = { siteId: '11111111-1111-4111-8111-111111111111', visitorId: '22222222-2222-4222-8222-222222222222' };

describe('visitor tokens', () => {
  it('round-trips the claims until expiry', () => {
    const token = signVisitorToken(secret, claims, 1_000);
    expect(verifyVisitorToken(secret, token, 1_000)).toEqual({ ...claims, exp: 1_000 + VISITOR_TOKEN_TTL_S });
    expect(verifyVisitorToken(secret, token, 1_000 + VISITOR_TOKEN_TTL_S + 1)).toBeNull();
  });

  it('rejects another secret, a changed payload and garbage', () => {
    const token = signVisitorToken(secret, claims, 1_000);
    expect(verifyVisitorToken('b'.repeat(32), token, 1_000)).toBeNull();
    const [v, , sig] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ s: claims.siteId, v: 'someone-else', e: 9e9 })).toString('base64url');
    expect(verifyVisitorToken(secret, `${v}.${payload}.${sig}`, 1_000)).toBeNull();
    for (const junk of ['', 'v1', 'v1..', 'v2.a.b', `${token}x`, 'v1.!!!.???']) expect(verifyVisitorToken(secret, junk, 1_000)).toBeNull();
  });
});
