import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteListResponse, SiteView, SnippetResponse } from '../protocol/admin.js';
import { auditLog, memberships, sites } from '../server/db/schema.js';
import { createSite } from '../server/services/sites/create.js';
import { normalizeOrigin } from '../server/services/sites/origins.js';
import { embedSnippet } from '../server/services/sites/snippet.js';
import { addMember, call, expectError, ownedSite, staffSession, type Session } from './admin-fixtures.js';
import { makeTestApp, type TestApp } from './support/app.js';

let t: TestApp;
let owner: Session;
beforeAll(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' });
  owner = await staffSession(t, 'owner');
});
afterAll(async () => {
  await t?.close();
});

describe('POST /sites', () => {
  it('creates a site with a generated pk_ key, normalised origins, the caller as owner, and an audit row', async () => {
    const res = await call(t, owner, 'POST', '/sites', {
      body: { name: 'Shop', allowedOrigins: ['https://Shop.Example:443/', 'http://localhost:5173', '*'], compareRate: 0.25 },
    });
    expect(res.status).toBe(201);
    const site = SiteView.parse(await res.json());
    expect(site.siteKey).toMatch(/^pk_[0-9A-Za-z]{24}$/);
    expect(site.allowedOrigins).toEqual(['https://shop.example', 'http://localhost:5173', '*']);
    expect(site).toMatchObject({ name: 'Shop', role: 'owner', compareRate: 0.25, greeting: 'Hi! How can I help you today?' });
    const [m] = await t.db.select().from(memberships).where(eq(memberships.siteId, site.id));
    expect(m).toMatchObject({ userId: owner.userId, role: 'owner' });
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.siteId, site.id));
    expect(audit.map((a) => a.action)).toEqual(['site.create']);
    expect(audit[0]!.actorUserId).toBe(owner.userId);
  });

  it.each([
    ['a path', 'https://shop.example/checkout'],
    ['no scheme', 'shop.example'],
    ['a query', 'https://shop.example?x=1'],
    ['credentials', 'https://user:pw@shop.example'],
    ['garbage', 'https://'],
  ])('refuses an origin with %s (400, nothing stored)', async (_why, origin) => {
    const before = await t.db.select().from(sites);
    const res = await call(t, owner, 'POST', '/sites', { body: { name: 'Bad', allowedOrigins: ['https://ok.example', origin] } });
    const error = await expectError(res, 400, 'validation_failed');
    expect(error.message).toContain('allowedOrigins');
    expect(await t.db.select().from(sites)).toHaveLength(before.length);
  });

  it('refuses an empty origin list and unknown fields', async () => {
    await expectError(await call(t, owner, 'POST', '/sites', { body: { name: 'X', allowedOrigins: [] } }), 400, 'validation_failed');
    await expectError(
      await call(t, owner, 'POST', '/sites', { body: { name: 'X', allowedOrigins: ['*'], colour: 'red' } }),
      400,
      'validation_failed',
    );
  });

  it('createSite keeps a given public key and refuses one already in use (409)', async () => {
    const site = await createSite({
      db: t.db,
      input: { name: 'Demo', allowedOrigins: ['*'], publicKey: 'pk_demo_fixed' },
      ownerUserId: owner.userId,
    });
    expect(site.publicKey).toBe('pk_demo_fixed');
    await expect(
      createSite({ db: t.db, input: { name: 'Other', allowedOrigins: ['*'], publicKey: 'pk_demo_fixed' }, ownerUserId: owner.userId }),
    ).rejects.toMatchObject({ status: 409 });
  });
});

describe('normalizeOrigin', () => {
  it('keeps the Origin-header form and refuses anything with a path', () => {
    expect(normalizeOrigin('HTTPS://A.example:8443')).toBe('https://a.example:8443');
    expect(normalizeOrigin('http://a.example:80')).toBe('http://a.example');
    expect(normalizeOrigin(' * ')).toBe('*');
    expect(normalizeOrigin('chrome-extension://abcdef')).toBe('chrome-extension://abcdef');
    expect(() => normalizeOrigin('https://a.example/x')).toThrow(/allowedOrigins/);
    expect(() => normalizeOrigin('https://a.example#x')).toThrow(/allowedOrigins/);
  });
});

describe('reading and listing', () => {
  it("lists only the caller's sites with their roles", async () => {
    const s = await staffSession(t, 'lister');
    const mine = await ownedSite(t, s, 'Mine');
    const theirs = await ownedSite(t, owner, 'Theirs');
    await addMember(t.db, s.userId, theirs.id, 'reviewer');
    await ownedSite(t, owner, 'Hidden');
    const body = SiteListResponse.parse(await (await call(t, s, 'GET', '/sites')).json());
    expect(body.sites.map((x) => [x.name, x.role])).toEqual([
      ['Mine', 'owner'],
      ['Theirs', 'reviewer'],
    ]);
    expect(body.sites[0]!.id).toBe(mine.id);
  });

  it("answers 404 for another staff member's site, for a missing site and for a malformed id", async () => {
    const stranger = await staffSession(t, 'stranger');
    const site = await ownedSite(t, owner);
    await expectError(await call(t, stranger, 'GET', `/sites/${site.id}`), 404, 'not_found');
    await expectError(await call(t, stranger, 'PATCH', `/sites/${site.id}`, { body: { name: 'Mine now' } }), 404, 'not_found');
    await expectError(await call(t, stranger, 'GET', `/sites/${site.id}/snippet`), 404, 'not_found');
    await expectError(await call(t, owner, 'GET', '/sites/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    await expectError(await call(t, owner, 'GET', '/sites/not-a-uuid'), 404, 'not_found');
    const [row] = await t.db.select().from(sites).where(eq(sites.id, site.id));
    expect(row!.name).toBe('Acme');
  });
});

describe('PATCH /sites/:id', () => {
  it('changes any setting, keeps the others, and writes an audit row', async () => {
    const site = await ownedSite(t, owner);
    const res = await call(t, owner, 'PATCH', `/sites/${site.id}`, {
      body: {
        greeting: 'Welcome!',
        persona: 'You are terse.',
        theme: { accent: '#ff0066', position: 'left' },
        locale: 'pt-BR',
        compareRate: 1,
        placeholders: { 'Website Name': 'Acme' },
        allowedOrigins: ['https://new.example/'],
      },
    });
    expect(res.status).toBe(200);
    const view = SiteView.parse(await res.json());
    expect(view).toMatchObject({
      name: 'Acme',
      greeting: 'Welcome!',
      persona: 'You are terse.',
      theme: { accent: '#ff0066', position: 'left' },
      locale: 'pt-BR',
      compareRate: 1,
      placeholders: { 'Website Name': 'Acme' },
      allowedOrigins: ['https://new.example'],
      siteKey: site.publicKey,
    });
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.siteId, site.id));
    expect(audit.map((a) => a.action)).toEqual(['site.create', 'site.update']);
  });

  it('refuses compareRate > 1 with 400 and changes nothing (not even the valid fields sent with it)', async () => {
    const site = await ownedSite(t, owner);
    const res = await call(t, owner, 'PATCH', `/sites/${site.id}`, { body: { name: 'New name', compareRate: 1.5 } });
    const error = await expectError(res, 400, 'validation_failed');
    expect(error.message).toContain('compareRate');
    const [row] = await t.db.select().from(sites).where(eq(sites.id, site.id));
    expect(row).toMatchObject({ name: 'Acme', compareRate: 0 });
  });

  it('refuses a bad origin, a bad theme and a bad locale', async () => {
    const site = await ownedSite(t, owner);
    for (const body of [{ allowedOrigins: ['https://a.example/path'] }, { theme: { position: 'top' } }, { locale: 'english please' }]) {
      await expectError(await call(t, owner, 'PATCH', `/sites/${site.id}`, { body }), 400, 'validation_failed');
    }
  });

  it('lets an admin change settings but not a reviewer (403)', async () => {
    const site = await ownedSite(t, owner);
    const admin = await staffSession(t, 'admin');
    const reviewer = await staffSession(t, 'reviewer');
    await addMember(t.db, admin.userId, site.id, 'admin');
    await addMember(t.db, reviewer.userId, site.id, 'reviewer');
    const denied = await call(t, reviewer, 'PATCH', `/sites/${site.id}`, { body: { name: 'Reviewer was here' } });
    await expectError(denied, 403, 'forbidden');
    expect((await call(t, reviewer, 'GET', `/sites/${site.id}`)).status).toBe(200);
    const allowed = await call(t, admin, 'PATCH', `/sites/${site.id}`, { body: { name: 'Admin was here' } });
    expect(allowed.status).toBe(200);
    const [row] = await t.db.select().from(sites).where(eq(sites.id, site.id));
    expect(row!.name).toBe('Admin was here');
  });
});

describe('GET /sites/:id/snippet', () => {
  const expected = (base: string, key: string) =>
    '<script>window.Rapport=window.Rapport||function(){(Rapport.q=Rapport.q||[]).push(arguments)};</script>' +
    `<script async src="${base}/widget.js" data-site-key="${key}"></script>`;

  it("uses the request's own origin when PUBLIC_URL is unset", async () => {
    const site = await ownedSite(t, owner);
    const res = await t.app.request(`http://chat.acme.test:8787/v1/admin/sites/${site.id}/snippet`, {
      headers: { Cookie: owner.cookie },
    });
    expect(res.status).toBe(200);
    expect(SnippetResponse.parse(await res.json()).html).toBe(expected('http://chat.acme.test:8787', site.publicKey));
  });

  it('uses PUBLIC_URL when set', async () => {
    const other = await makeTestApp({ PUBLIC_URL: 'https://rapport.acme.com/' });
    try {
      const s = await staffSession(other, 'snippet');
      const site = await ownedSite(other, s);
      const res = await call(other, s, 'GET', `/sites/${site.id}/snippet`);
      expect(((await res.json()) as { html: string }).html).toBe(expected('https://rapport.acme.com', site.publicKey));
    } finally {
      await other.close();
    }
  });

  it('adds data-api when the server lives under a path', () => {
    expect(embedSnippet({ publicUrl: 'https://acme.com/rapport/', siteKey: 'pk_x' })).toContain(
      'src="https://acme.com/rapport/widget.js" data-site-key="pk_x" data-api="https://acme.com/rapport"',
    );
  });
});
