import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedback, feedbackEvents, visitors } from '../server/db/schema.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { ORIGIN, seedSite } from './support/fixtures.js';
import { serveFetch } from './support/serve.js';
import { widgetClient } from './support/widget-client.js';

let t: TestApp;
let site: Awaited<ReturnType<typeof seedSite>>;
const eventCount = async () => (await t.db.select({ n: count() }).from(feedbackEvents))[0]!.n;

beforeAll(async () => {
  t = await makeTestApp();
  site = await seedSite(t.db);
});
afterAll(() => t.close());

async function answered() {
  const c = widgetClient(t.app);
  const { visitorId } = await c.session(site.publicKey);
  const conversationId = await c.conversation();
  const { messages } = await c.ask(conversationId, 'how do I cancel my order');
  const rate = (clientEventId: string, body: Record<string, unknown>, messageId = messages[1]!.id) =>
    c.request('POST', `/v1/widget/messages/${messageId}/feedback`, { clientEventId, ...body });
  return { c, visitorId, conversationId, user: messages[0]!, reply: messages[1]!, rate };
}

describe('POST /v1/widget/messages/:id/feedback', () => {
  it('keeps one current value per visitor and message, and every change', async () => {
    const { rate, reply, visitorId, c, conversationId } = await answered();
    const up = await rate('evt-fb-00001', { rating: 'up', reasons: ['accurate'] });
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({
      duplicate: false,
      feedback: { messageId: reply.id, rating: 'up', reasons: ['accurate'], comment: null },
    });
    const down = await (await rate('evt-fb-00002', { rating: 'down', reasons: ['wrong', 'incomplete'], comment: ' It was the wrong shop ' })).json();
    expect(down.feedback).toEqual({ messageId: reply.id, rating: 'down', reasons: ['wrong', 'incomplete'], comment: 'It was the wrong shop' });
    const cleared = await (await rate('evt-fb-00003', { rating: null })).json();
    expect(cleared.feedback.rating).toBeNull();

    const current = await t.db.select().from(feedback).where(and(eq(feedback.messageId, reply.id), eq(feedback.visitorId, visitorId)));
    expect(current).toHaveLength(1);
    expect(current[0]!.rating).toBeNull();
    const history = await t.db.select().from(feedbackEvents).where(eq(feedbackEvents.messageId, reply.id)).orderBy(feedbackEvents.createdAt);
    expect(history.map((e) => e.rating)).toEqual(['up', 'down', null]);

    // The widget shows the current value again after a reload.
    const view = await (await c.request('GET', `/v1/widget/conversations/${conversationId}`)).json();
    expect(view.feedback).toEqual([{ messageId: reply.id, rating: null, reasons: [], comment: null }]);
  });

  it('stores an event sent twice once, and does not let a stale resend overwrite a newer value', async () => {
    const { rate, reply } = await answered();
    await rate('evt-fb-10001', { rating: 'down', reasons: ['wrong'] });
    await rate('evt-fb-10002', { rating: 'up' });
    const resent = await rate('evt-fb-10001', { rating: 'down', reasons: ['wrong'] });
    expect(resent.status).toBe(200);
    expect(await resent.json()).toEqual({ duplicate: true, feedback: { messageId: reply.id, rating: 'up', reasons: [], comment: null } });
    const history = await t.db.select().from(feedbackEvents).where(eq(feedbackEvents.messageId, reply.id));
    expect(history).toHaveLength(2);
  });

  it('stores each of many concurrent events once, duplicates included (group commit)', async () => {
    const { rate, reply } = await answered();
    const sends = Array.from({ length: 30 }, (_, i) => rate(`evt-burst-${String(i % 10).padStart(4, '0')}`, { rating: i % 10 === 9 ? 'down' : 'up' }));
    const bodies = await Promise.all((await Promise.all(sends)).map((r) => r.json()));
    expect(bodies.filter((b) => b.duplicate === false)).toHaveLength(10);
    const history = await t.db.select().from(feedbackEvents).where(eq(feedbackEvents.messageId, reply.id));
    expect(history).toHaveLength(10);
    const current = await t.db.select().from(feedback).where(eq(feedback.messageId, reply.id));
    expect(current).toHaveLength(1);
  });

  it('keeps client ids per visitor, and stores any comment text exactly (sent together)', async () => {
    const a = await answered();
    const b = await answered();
    const comment = 'Quote " backslash \\ brace {x} comma, tab\t newline\n émoji 🙂 NUL-free \u2028';
    const [ra, rb] = await Promise.all([
      a.rate('evt-shared-0001', { rating: 'down', reasons: ['wrong', 'incomplete'], comment }),
      b.rate('evt-shared-0001', { rating: 'up' }),
    ]);
    expect((await ra.json()).duplicate).toBe(false);
    expect((await rb.json()).duplicate).toBe(false);
    const [stored] = await t.db.select().from(feedbackEvents).where(eq(feedbackEvents.messageId, a.reply.id));
    expect(stored!.comment).toBe(comment.trim());
    expect(stored!.reasons).toEqual(['wrong', 'incomplete']);
    const [current] = await t.db.select().from(feedback).where(eq(feedback.messageId, b.reply.id));
    expect(current!.rating).toBe('up');
    expect(current!.reasons).toEqual([]);
  });

  it("refuses visitor messages, other visitors' messages and unknown ids with 404 and stores nothing", async () => {
    const mine = await answered();
    const other = await answered();
    const before = await eventCount();
    expect((await mine.rate('evt-fb-20001', { rating: 'up' }, mine.user.id)).status).toBe(404);
    expect((await mine.rate('evt-fb-20002', { rating: 'up' }, other.reply.id)).status).toBe(404);
    expect((await mine.rate('evt-fb-20003', { rating: 'up' }, crypto.randomUUID())).status).toBe(404);
    expect(await eventCount()).toBe(before);
  });

  it('refuses a message of another site even with a valid token of this visitor', async () => {
    const mine = await answered();
    const otherSite = await seedSite(t.db, { allowedOrigins: ['https://other.example'] });
    const c = widgetClient(t.app, { origin: 'https://other.example' });
    await c.session(otherSite.publicKey);
    const before = await eventCount();
    const res = await c.request('POST', `/v1/widget/messages/${mine.reply.id}/feedback`, { clientEventId: 'evt-fb-30001', rating: 'down' });
    expect(res.status).toBe(404);
    expect(await eventCount()).toBe(before);
  });

  it('answers bad input with 400 and changes nothing', async () => {
    const { rate } = await answered();
    const before = await eventCount();
    for (const body of [
      { rating: 'meh' },
      { rating: 'down', reasons: ['<script>alert(1)</script>'] },
      { rating: 'down', comment: 'x'.repeat(2001) },
      { rating: 'down', reasons: Array(9).fill('wrong') },
    ]) {
      const res = await rate('evt-fb-40001', body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('validation_failed');
    }
    expect((await rate('short', { rating: 'up' })).status).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it('answers with the security and CORS headers of every widget route, errors included', async () => {
    const { rate, c } = await answered();
    const ok = await rate('evt-fb-50001', { rating: 'up' });
    const bad = await rate('evt-fb-50002', { rating: 'meh' });
    c.setToken('v1.forged.token');
    const unauthorized = await rate('evt-fb-50003', { rating: 'up' });
    for (const [res, status] of [[ok, 200], [bad, 400], [unauthorized, 401]] as const) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(res.headers.get('vary')).toBe('Origin');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
    expect((await unauthorized.json()).error.code).toBe('unauthorized');
  });

  it('refuses a page on an origin the site does not allow, and bodies over the limit, storing nothing', async () => {
    const { reply } = await answered();
    const mine = widgetClient(t.app);
    await mine.session(site.publicKey);
    const before = await eventCount();
    const elsewhere = widgetClient(t.app, { origin: 'https://evil.example' });
    elsewhere.setToken((await (await mine.request('POST', '/v1/widget/sessions', { siteKey: site.publicKey })).json()).visitorToken);
    const refused = await elsewhere.request('POST', `/v1/widget/messages/${reply.id}/feedback`, { clientEventId: 'evt-fb-60001', rating: 'up' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('origin_not_allowed');
    const huge = await mine.request('POST', `/v1/widget/messages/${reply.id}/feedback`, { clientEventId: 'evt-fb-60002', rating: 'up', comment: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    expect(await eventCount()).toBe(before);
  });

  it('counts thumbs against the per-visitor limit', async () => {
    const limited = await makeTestApp({ RATE_LIMIT_VISITOR_PER_MIN: '4' });
    try {
      const s = await seedSite(limited.db);
      const c = widgetClient(limited.app);
      await c.session(s.publicKey);
      const conversationId = await c.conversation();
      const { messages } = await c.ask(conversationId, 'how do I cancel my order');
      const send = (n: number) => c.request('POST', `/v1/widget/messages/${messages[1]!.id}/feedback`, { clientEventId: `evt-rl-${1000 + n}`, rating: 'up' });
      // conversation + ask used 2 of the 4; two thumbs pass, the third is refused.
      expect((await send(1)).status).toBe(200);
      expect((await send(2)).status).toBe(200);
      const over = await send(3);
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(over.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect((await limited.db.select({ n: count() }).from(feedbackEvents))[0]!.n).toBe(2);
    } finally {
      await limited.close();
    }
  });

  it("goes with its visitor: deleting a visitor removes their thumbs and history (through the message)", async () => {
    const { rate, reply, visitorId } = await answered();
    await rate('evt-fb-60001', { rating: 'down', reasons: ['wrong'] });
    await t.db.delete(visitors).where(eq(visitors.id, visitorId));
    expect(await t.db.select().from(feedback).where(eq(feedback.messageId, reply.id))).toHaveLength(0);
    expect(await t.db.select().from(feedbackEvents).where(eq(feedbackEvents.messageId, reply.id))).toHaveLength(0);
  });

  it('behaves the same over real HTTP (Node headers, Content-Length and chunked bodies)', async () => {
    const { reply, c } = await answered();
    const server = await serveFetch(t.app.fetch);
    try {
      const token = (await (await c.request('POST', '/v1/widget/sessions', { siteKey: site.publicKey })).json()).visitorToken;
      // A fresh token of another visitor: the reply is not theirs.
      const other = await fetch(`${server.url}/v1/widget/messages/${reply.id}/feedback`, {
        method: 'POST',
        headers: { origin: ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clientEventId: 'evt-fb-70001', rating: 'up' }),
      });
      expect(other.status).toBe(404);
      expect(other.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(other.headers.get('referrer-policy')).toBe('no-referrer');
      const chunked = await fetch(`${server.url}/v1/widget/messages/${reply.id}/feedback`, {
        method: 'POST',
        headers: { origin: ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: new ReadableStream({
          start(ctl) {
            ctl.enqueue(new TextEncoder().encode(JSON.stringify({ clientEventId: 'evt-fb-70002', rating: 'up', comment: 'y'.repeat(70_000) })));
            ctl.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(chunked.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await server.close();
    }
  });
});
