// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { WidgetHandle } from './mount.js';
import { startWidget } from './start.js';
import { outboxKey, visitorKey } from './storage.js';
import { apiError, fakeServer, ids } from './test-support/fake-server.js';

const config = { siteKey: 'pk_test', api: 'https://api.test/' };
let widget: WidgetHandle | null = null;

beforeEach(() => {
  localStorage.clear();
  document.body.innerHTML = '';
});
afterEach(() => {
  widget?.unmount();
  widget = null;
  vi.restoreAllMocks();
});

describe('startWidget', () => {
  test('a page whose origin the site does not allow gets no widget, and the owner a console warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const server = fakeServer();
    server.on('POST', /sessions$/, () => apiError(403, 'origin_not_allowed', 'origin not in allowlist'));
    widget = await startWidget(config, { win: window, fetch: server.fetch });
    expect(widget).toBeNull();
    expect(document.querySelector('[data-rapport-widget]')).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/origin .* is not allowed for site key pk_test/));
    expect(server.requests).toHaveLength(1);
  });

  test('stores the visitor id and sends it again after a reload', async () => {
    const server = fakeServer();
    widget = await startWidget(config, { win: window, fetch: server.fetch });
    expect(JSON.parse(localStorage.getItem(visitorKey('pk_test'))!)).toMatchObject({ visitorId: ids.visitor });
    widget!.unmount();
    widget = await startWidget(config, { win: window, fetch: server.fetch });
    expect(server.sent('/sessions').map((r) => r.body)).toEqual([
      { siteKey: 'pk_test' },
      { siteKey: 'pk_test', visitorId: ids.visitor },
    ]);
    expect(server.requests[0].path).toBe('/v1/widget/sessions'); // trailing slash of the base trimmed
  });

  test('writes left in the outbox by an earlier page view are sent with the new token', async () => {
    const body = { clientEventId: 'evt-left-over', rating: 'up' };
    localStorage.setItem(
      outboxKey('pk_test'),
      JSON.stringify([{ id: 'evt-left-over', path: `/v1/widget/messages/${ids.reply}/feedback`, body, createdAt: Date.now() }]),
    );
    const server = fakeServer();
    widget = await startWidget(config, { win: window, fetch: server.fetch });
    await vi.waitFor(() => expect(server.sent('/feedback')).toHaveLength(1));
    expect(server.sent('/feedback')[0]).toMatchObject({ body, headers: { authorization: 'Bearer tok-1' } });
  });

  test('retries a session the server could not answer, then shows the launcher', async () => {
    const server = fakeServer();
    let calls = 0;
    const ok = server.fetch;
    const flaky: typeof fetch = (input, init) => (++calls === 1 ? Promise.reject(new TypeError('Failed to fetch')) : ok(input, init));
    vi.useFakeTimers();
    try {
      const started = startWidget(config, { win: window, fetch: flaky });
      await vi.runAllTimersAsync();
      widget = await started;
    } finally {
      vi.useRealTimers();
    }
    expect(calls).toBe(2);
    expect(widget?.host.shadowRoot?.querySelector('.launcher')).not.toBeNull();
  });
});
