import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedback, feedbackEvents } from '../server/db/schema.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { seedSite } from './support/fixtures.js';
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
});
