import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visitors } from '../server/db/schema.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { ORIGIN, seedSite } from './support/fixtures.js';
import { widgetClient } from './support/widget-client.js';

let t: TestApp;
let site: Awaited<ReturnType<typeof seedSite>>;
const visitorCount = async () => (await t.db.select({ n: count() }).from(visitors))[0]!.n;

beforeAll(async () => {
  t = await makeTestApp();
  site = await seedSite(t.db);
});
afterAll(() => t.close());

describe('POST /v1/widget/sessions', () => {
  it('gives a page on an allowed origin a visitor token and the site settings', async () => {
    const res = await widgetClient(t.app).request('POST', '/v1/widget/sessions', { siteKey: site.publicKey });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.visitorToken).toMatch(/^v1\./);
    expect(body.visitorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.site).toEqual({ name: 'Test Shop', greeting: site.greeting, theme: {}, locale: 'en', compareRate: 0 });
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('refuses an origin outside the allowlist with 403 and creates no visitor', async () => {
    const before = await visitorCount();
    const res = await widgetClient(t.app, { origin: 'https://evil.example' }).request('POST', '/v1/widget/sessions', {
      siteKey: site.publicKey,
    });
    expect(res.status).toBe(403);
    // CORS headers on errors too, so the widget can read why it was refused.
    expect(res.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect((await res.json()).error.code).toBe('origin_not_allowed');
    expect(await visitorCount()).toBe(before);
  });

  it('refuses a request with no Origin unless the site allows "*"', async () => {
    const noOrigin = widgetClient(t.app, { origin: null });
    expect((await noOrigin.request('POST', '/v1/widget/sessions', { siteKey: site.publicKey })).status).toBe(403);
    const open = await seedSite(t.db, { allowedOrigins: ['*'] });
    expect((await noOrigin.request('POST', '/v1/widget/sessions', { siteKey: open.publicKey })).status).toBe(201);
  });

  it('resumes a known visitor, and gives a new one for a visitor id of another site', async () => {
    const c = widgetClient(t.app);
    const first = await c.session(site.publicKey);
    expect((await c.session(site.publicKey, first.visitorId)).visitorId).toBe(first.visitorId);
    const other = await seedSite(t.db);
    expect((await c.session(other.publicKey, first.visitorId)).visitorId).not.toBe(first.visitorId);
  });

  it('answers an unknown site key with 404', async () => {
    const res = await widgetClient(t.app).request('POST', '/v1/widget/sessions', { siteKey: 'pk_nope' });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('answers malformed JSON, wrong types and the wrong content type with a clear 4xx', async () => {
    const c = widgetClient(t.app);
    const before = await visitorCount();
    const bad = await c.request('POST', '/v1/widget/sessions', '{"siteKey":');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toEqual({ code: 'invalid_json', message: 'the body is not valid JSON' });
    const wrong = await c.request('POST', '/v1/widget/sessions', { siteKey: 42 });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.message).toMatch(/^siteKey: /);
    const form = await c.request('POST', '/v1/widget/sessions', undefined, { 'Content-Type': 'text/plain' });
    expect(form.status).toBe(415);
    expect(await visitorCount()).toBe(before);
  });

  it('answers CORS preflights from any origin (the allowlist is checked on the real request)', async () => {
    const res = await t.app.request('/v1/widget/sessions', {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });
});

describe('visitor tokens', () => {
  it('rejects a missing, forged or other-site token with 401 and a fixable message', async () => {
    const c = widgetClient(t.app);
    expect((await c.request('POST', '/v1/widget/conversations', {})).status).toBe(401);
    const { visitorToken } = await c.session(site.publicKey);
    const [v, payload, sig] = visitorToken.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ s: site.id, v: crypto.randomUUID(), e: 9e9 })).toString('base64url');
    c.setToken(`${v}.${forgedPayload}.${sig}`);
    const res = await c.request('POST', '/v1/widget/conversations', {});
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/POST \/v1\/widget\/sessions/);
    c.setToken(`${v}.${payload}.${sig}`);
    expect((await c.request('POST', '/v1/widget/conversations', {})).status).toBe(201);
  });

  it('stops working from an origin the site does not allow', async () => {
    const c = widgetClient(t.app);
    const { visitorToken } = await c.session(site.publicKey);
    const elsewhere = widgetClient(t.app, { origin: 'https://evil.example' });
    elsewhere.setToken(visitorToken);
    const res = await elsewhere.request('POST', '/v1/widget/conversations', {});
    expect(res.status).toBe(403);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the per-IP limit', async () => {
    const limited = await makeTestApp({ RATE_LIMIT_IP_PER_MIN: '3' });
    try {
      const s = await seedSite(limited.db);
      const c = widgetClient(limited.app, { ip: '198.51.100.1' });
      for (let i = 0; i < 3; i++) expect((await c.request('POST', '/v1/widget/sessions', { siteKey: s.publicKey })).status).toBe(201);
      const res = await c.request('POST', '/v1/widget/sessions', { siteKey: s.publicKey });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await res.json()).error.code).toBe('rate_limited');
      // Another IP is not affected.
      expect((await widgetClient(limited.app, { ip: '198.51.100.2' }).request('POST', '/v1/widget/sessions', { siteKey: s.publicKey })).status).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it('limits each visitor separately', async () => {
    const limited = await makeTestApp({ RATE_LIMIT_VISITOR_PER_MIN: '2' });
    try {
      const s = await seedSite(limited.db);
      const c = widgetClient(limited.app);
      await c.session(s.publicKey);
      expect((await c.request('POST', '/v1/widget/conversations', {})).status).toBe(201);
      expect((await c.request('POST', '/v1/widget/conversations', {})).status).toBe(201);
      expect((await c.request('POST', '/v1/widget/conversations', {})).status).toBe(429);
      const other = widgetClient(limited.app);
      await other.session(s.publicKey);
      expect((await other.request('POST', '/v1/widget/conversations', {})).status).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it('keeps serving and limiting while Redis is down', async () => {
    // Nothing listens on port 1: every Redis call fails. The counters live in the process first.
    const offline = await makeTestApp({ RATE_LIMIT_IP_PER_MIN: '3', REDIS_URL: 'redis://127.0.0.1:1' });
    const warn = console.warn;
    console.warn = () => {};
    try {
      const s = await seedSite(offline.db);
      const c = widgetClient(offline.app, { ip: '198.51.100.3' });
      for (let i = 0; i < 3; i++) expect((await c.request('POST', '/v1/widget/sessions', { siteKey: s.publicKey })).status).toBe(201);
      expect((await c.request('POST', '/v1/widget/sessions', { siteKey: s.publicKey })).status).toBe(429);
    } finally {
      console.warn = warn;
      await offline.close();
    }
  });
});
