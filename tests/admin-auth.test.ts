import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponse, MeResponse, TokenListResponse } from '../protocol/admin.js';
import { apiTokens, auditLog, staffSessions, staffUsers } from '../server/db/schema.js';
import { sha256Hex } from '../server/services/auth/secrets.js';
import { createOwner } from '../server/services/staff/create-owner.js';
import { createApiToken } from '../server/services/tokens/create.js';
import { call, expectError, ownedSite, PASSWORD, signIn, staffSession, uniqueEmail } from './admin-fixtures.js';
import { makeTestApp, type TestApp } from './support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' });
});
afterAll(async () => {
  await t?.close();
});

const login = (email: string, password: string, ip = '192.0.2.1', headers: Record<string, string> = {}) =>
  t.app.request('/v1/admin/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip, ...headers },
    body: JSON.stringify({ email, password }),
  });

describe('createOwner', () => {
  it('stores an argon2id hash and the email lower-cased; a second account with the email is a 409', async () => {
    const email = uniqueEmail('Owner').toUpperCase();
    const user = await createOwner({ db: t.db, input: { email, password: PASSWORD } });
    expect(user.email).toBe(email.toLowerCase());
    const [row] = await t.db.select().from(staffUsers).where(eq(staffUsers.id, user.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain(PASSWORD);
    await expect(createOwner({ db: t.db, input: { email: email.toLowerCase(), password: PASSWORD } })).rejects.toMatchObject({
      status: 409,
    });
  });
});

describe('login, me, logout', () => {
  it('signs in with a HttpOnly SameSite=Lax cookie, stores only the hash, and /me answers with the sites', async () => {
    const email = uniqueEmail('login');
    const user = await createOwner({ db: t.db, input: { email, password: PASSWORD } });
    const site = await ownedSite(t, { userId: user.id }, 'Login Shop');

    const res = await login(email.toUpperCase(), PASSWORD, '192.0.2.10');
    expect(res.status).toBe(200);
    const body = LoginResponse.parse(await res.json());
    expect(body.user).toEqual({ id: user.id, email });
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^rapport_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Max-Age=1209600/);
    expect(setCookie).not.toMatch(/Secure/);
    const token = /rapport_session=([^;]+)/.exec(setCookie)![1]!;
    const [stored] = await t.db.select().from(staffSessions).where(eq(staffSessions.userId, user.id));
    expect(stored!.tokenHash).toBe(sha256Hex(token));
    expect(stored!.csrfToken).toBe(body.csrfToken);

    const me = await call(t, { userId: user.id, email, cookie: `rapport_session=${token}`, csrfToken: body.csrfToken }, 'GET', '/me');
    expect(me.status).toBe(200);
    expect(MeResponse.parse(await me.json())).toEqual({
      user: { id: user.id, email },
      csrfToken: body.csrfToken,
      sites: [{ id: site.id, name: 'Login Shop', role: 'owner' }],
    });
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const s = await staffSession(t, 'secure');
    const res = await login(s.email, PASSWORD, '192.0.2.11', { 'X-Forwarded-Proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const s = await staffSession(t, 'wrongpw');
    const wrong = await login(s.email, 'not the password', '192.0.2.20');
    const wrongError = await expectError(wrong, 401, 'unauthorized');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const unknown = await login(uniqueEmail('nobody'), PASSWORD, '192.0.2.20');
    const unknownError = await expectError(unknown, 401, 'unauthorized');
    expect(unknownError.message).toBe(wrongError.message);
  });

  it('needs credentials for /me', async () => {
    await expectError(await call(t, null, 'GET', '/me'), 401, 'unauthorized');
    await expectError(await call(t, { token: 'rk_nope' }, 'GET', '/me'), 401, 'unauthorized');
    await expectError(
      await t.app.request('/v1/admin/me', { headers: { Cookie: 'rapport_session=forged' } }),
      401,
      'unauthorized',
    );
  });

  it('rejects a malformed login body with 400 and a non-JSON one with 415', async () => {
    const bad = await t.app.request('/v1/admin/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '192.0.2.30' },
      body: '{"email":',
    });
    await expectError(bad, 400, 'invalid_json');
    const form = await t.app.request('/v1/admin/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': '192.0.2.30' },
      body: 'email=a&password=b',
    });
    await expectError(form, 415, 'unsupported_media_type');
  });

  it('logout ends the session server-side and clears the cookie', async () => {
    const s = await staffSession(t, 'logout');
    const res = await call(t, s, 'POST', '/auth/logout');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/rapport_session=;.*Max-Age=0/);
    expect(await t.db.select().from(staffSessions).where(eq(staffSessions.userId, s.userId))).toHaveLength(0);
    await expectError(await call(t, s, 'GET', '/me'), 401, 'unauthorized');
  });

  it('refuses an expired session', async () => {
    const s = await staffSession(t, 'expired');
    await t.db.update(staffSessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(staffSessions.userId, s.userId));
    await expectError(await call(t, s, 'GET', '/me'), 401, 'unauthorized');
  });

  it('limits login attempts per IP to 10 a minute (429 with Retry-After), other IPs unaffected', async () => {
    const s = await staffSession(t, 'limited');
    // Fixed one-minute windows: redo the burst if it straddled a window boundary.
    let blocked: Response;
    for (let attempt = 0; ; attempt++) {
      const ip = `198.51.100.${7 + attempt * 10}`;
      const window = Math.floor(Date.now() / 60_000);
      for (let i = 0; i < 10; i++) expect((await login(s.email, 'guess', ip)).status).toBe(401);
      blocked = await login(s.email, PASSWORD, ip);
      if (Math.floor(Date.now() / 60_000) === window || attempt === 2) break;
    }
    await expectError(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(s.email, PASSWORD, '198.51.100.200')).status).toBe(200);
  });
});

describe('CSRF', () => {
  it('refuses cookie-authenticated writes without the matching X-CSRF-Token, and changes nothing', async () => {
    const s = await staffSession(t, 'csrf');
    const site = await ownedSite(t, s);
    const missing = await call(t, s, 'PATCH', `/sites/${site.id}`, { body: { name: 'Hijacked' }, csrf: false });
    await expectError(missing, 403, 'csrf_failed');
    const wrong = await call(t, s, 'PATCH', `/sites/${site.id}`, {
      body: { name: 'Hijacked' },
      csrf: false,
      headers: { 'X-CSRF-Token': 'x'.repeat(43) },
    });
    await expectError(wrong, 403, 'csrf_failed');
    await expectError(await call(t, s, 'POST', '/tokens', { body: {}, csrf: false }), 403, 'csrf_failed');
    await expectError(await call(t, s, 'POST', '/auth/logout', { csrf: false }), 403, 'csrf_failed');
    const read = await call(t, s, 'GET', `/sites/${site.id}`);
    expect(((await read.json()) as { name: string }).name).toBe('Acme');

    const ok = await call(t, s, 'PATCH', `/sites/${site.id}`, { body: { name: 'Renamed' } });
    expect(ok.status).toBe(200);
  });

  it('does not ask bearer-token requests for a CSRF token', async () => {
    const s = await staffSession(t, 'bearer');
    const site = await ownedSite(t, s);
    const { token } = await createApiToken({ db: t.db, userId: s.userId });
    const res = await call(t, { token }, 'PATCH', `/sites/${site.id}`, { body: { greeting: 'Hello from a script' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { greeting: string }).greeting).toBe('Hello from a script');
  });
});

describe('API tokens', () => {
  it('creates a token shown once (stored hashed), authenticates with it, lists it, and a revoked token gets 401', async () => {
    const s = await staffSession(t, 'tokens');
    const created = await call(t, s, 'POST', '/tokens', { body: { name: 'ci' } });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    expect(token).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row!.tokenHash).toBe(sha256Hex(token));

    const me = await call(t, { token }, 'GET', '/me');
    expect(me.status).toBe(200);
    const meBody = MeResponse.parse(await me.json());
    expect(meBody.user.id).toBe(s.userId);
    expect(meBody.csrfToken).toBeUndefined();

    const list = TokenListResponse.parse(await (await call(t, s, 'GET', '/tokens')).json());
    expect(list.tokens).toHaveLength(1);
    expect(list.tokens[0]).toMatchObject({ id, name: 'ci', revokedAt: null });
    expect(list.tokens[0]!.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(token);

    const revoked = await call(t, { token }, 'DELETE', `/tokens/${id}`);
    expect(revoked.status).toBe(204);
    await expectError(await call(t, { token }, 'GET', '/me'), 401, 'unauthorized');
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.target, id));
    expect(audit.map((a) => a.action).sort()).toEqual(['token.create', 'token.revoke']);
  });

  it("cannot revoke another staff member's token (404)", async () => {
    const a = await staffSession(t, 'tok-a');
    const b = await staffSession(t, 'tok-b');
    const { id, token } = await createApiToken({ db: t.db, userId: a.userId });
    await expectError(await call(t, b, 'DELETE', `/tokens/${id}`), 404, 'not_found');
    expect((await call(t, { token }, 'GET', '/me')).status).toBe(200);
  });

  it('signs in with the same credentials again after a logout', async () => {
    const s = await staffSession(t, 'again');
    await call(t, s, 'POST', '/auth/logout');
    const again = await signIn(t, s.email, PASSWORD);
    expect((await call(t, again, 'GET', '/me')).status).toBe(200);
  });
});
