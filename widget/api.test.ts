// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { ApiError, createApi } from './api.js';
import { apiError, fakeServer, ids, json } from './test-support/fake-server.js';

describe('api', () => {
  test('sends the visitor token on every call after the session', async () => {
    const server = fakeServer();
    const api = createApi('https://api.test', server.fetch);
    await api.createSession({ siteKey: 'pk_a' });
    await api.createConversation('conv-client-1');
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(server.requests[1]).toMatchObject({
      method: 'POST',
      path: '/v1/widget/conversations',
      headers: { authorization: 'Bearer tok-1', 'content-type': 'application/json' },
      body: { clientConversationId: 'conv-client-1' },
    });
  });

  test('error bodies become ApiError with the server code', async () => {
    const server = fakeServer();
    server.on('GET', /conversations\//, () => apiError(404, 'not_found', 'no such conversation'));
    const api = createApi('https://api.test', server.fetch);
    const err = await api.getConversation(ids.conversation).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'not_found', message: 'no such conversation' });
  });

  test('a 401 renews the token once and repeats the call; concurrent 401s share one renewal', async () => {
    const server = fakeServer();
    let renewals = 0;
    server.on('POST', /\/feedback$/, (req) =>
      req.headers.authorization === 'Bearer fresh' ? json(200, {}) : apiError(401, 'unauthorized', 'token expired'),
    );
    const api = createApi('https://api.test', server.fetch);
    await api.createSession({ siteKey: 'pk_a' });
    api.onUnauthorized(async () => {
      renewals++;
      return 'fresh';
    });
    const statuses = await Promise.all([api.post('/v1/widget/messages/m/feedback', {}), api.post('/v1/widget/messages/n/feedback', {})]);
    expect(statuses).toEqual([200, 200]);
    expect(renewals).toBe(1);
  });

  test('openMessageStream asks for an event stream and throws before it starts on an error', async () => {
    const server = fakeServer();
    server.on('POST', /\/messages$/, () => apiError(429, 'rate_limited', 'slow down'));
    const api = createApi('https://api.test', server.fetch);
    await expect(api.openMessageStream(ids.conversation, { clientMessageId: 'c-12345678', text: 'hi' })).rejects.toMatchObject({
      status: 429,
    });
    expect(server.requests[0].headers.accept).toBe('text/event-stream');
  });
});
