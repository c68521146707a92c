import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from './support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

describe('serving', () => {
  it('serves the built widget as JavaScript that other origins may load', async () => {
    const res = await t.app.request('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect((await res.text()).length).toBeGreaterThan(1000);
  });

  it('reports liveness and readiness (Postgres and Redis answer)', async () => {
    expect(await (await t.app.request('/healthz')).json()).toEqual({ ok: true });
    const ready = await t.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { postgres: true, redis: true } });
  });

  it('sends security headers on every answer, errors included', async () => {
    for (const path of ['/healthz', '/v1/nothing-here']) {
      const res = await t.app.request(path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.app.request('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});
