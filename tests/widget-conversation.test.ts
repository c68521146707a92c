import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUT_OF_SCOPE } from '../assistant/retrieval/responder.js';
import { comparisons, conversations, messages } from '../server/db/schema.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { seedSite } from './support/fixtures.js';
import { parseSse, widgetClient } from './support/widget-client.js';

let t: TestApp;
let site: Awaited<ReturnType<typeof seedSite>>;
const messageCount = async () => (await t.db.select({ n: count() }).from(messages))[0]!.n;

beforeAll(async () => {
  t = await makeTestApp();
  site = await seedSite(t.db);
});
afterAll(() => t.close());

describe('conversations', () => {
  it('creates a conversation once per clientConversationId', async () => {
    const c = widgetClient(t.app);
    await c.session(site.publicKey);
    const a = await c.request('POST', '/v1/widget/conversations', { clientConversationId: 'conv-00000001' });
    const b = await c.request('POST', '/v1/widget/conversations', { clientConversationId: 'conv-00000001' });
    const idA = (await a.json()).conversationId;
    expect(idA).toBe((await b.json()).conversationId);
    const rows = await t.db.select().from(conversations).where(eq(conversations.id, idA));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('open');
  });

  it("hides another visitor's conversation (404), and ids that cannot exist", async () => {
    const owner = widgetClient(t.app);
    await owner.session(site.publicKey);
    const id = await owner.conversation();
    const stranger = widgetClient(t.app);
    await stranger.session(site.publicKey);
    expect((await stranger.request('GET', `/v1/widget/conversations/${id}`)).status).toBe(404);
    const before = await messageCount();
    const send = await stranger.request('POST', `/v1/widget/conversations/${id}/messages`, { clientMessageId: 'msg-00000001', text: 'hi' });
    expect(send.status).toBe(404);
    expect(await messageCount()).toBe(before);
    expect((await owner.request('GET', '/v1/widget/conversations/not-a-uuid')).status).toBe(404);
  });
});

describe('POST /v1/widget/conversations/:id/messages', () => {
  it('streams the best knowledge answer as SSE and stores both messages', async () => {
    const c = widgetClient(t.app);
    await c.session(site.publicKey);
    const id = await c.conversation();
    const res = await c.request('POST', `/v1/widget/conversations/${id}/messages`, {
      clientMessageId: 'msg-cancel-1',
      text: 'how can i cancel my order?',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = parseSse(await res.text());
    expect(events[0]!.event).toBe('message');
    expect(events[0]!.data.message).toMatchObject({ role: 'user', content: 'how can i cancel my order?', clientMessageId: 'msg-cancel-1' });
    const tokens = events.filter((e) => e.event === 'token');
    expect(tokens.length).toBeGreaterThan(3);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    const answer = 'Go to **Order History** on Test Shop and press Cancel.';
    expect(tokens.map((e) => e.data.text).join('')).toBe(answer);
    expect(done.data.message).toMatchObject({ id: events[0]!.data.replyId, role: 'assistant', content: answer, responder: 'retrieval', modelVersion: 'kb-1' });
    const stored = await t.db.select().from(messages).where(eq(messages.conversationId, id)).orderBy(messages.seq);
    expect(stored.map((m) => [m.role, m.content])).toEqual([
      ['user', 'how can i cancel my order?'],
      ['assistant', answer],
    ]);
  });

  it('answers in one JSON body with Accept: application/json, and resumes via GET', async () => {
    const c = widgetClient(t.app);
    await c.session(site.publicKey);
    const id = await c.conversation();
    const body = await c.ask(id, 'I forgot my password');
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(body.messages[1]!.content).toBe('Use "Forgot password" on the login page of Test Shop.');
    const view = await (await c.request('GET', `/v1/widget/conversations/${id}`)).json();
    expect(view.conversation.status).toBe('open');
    expect(view.messages.map((m: { id: string }) => m.id)).toEqual(body.messages.map((m) => m.id));
  });

  it('stores a resent message once and replays its reply instead of writing another', async () => {
    const c = widgetClient(t.app);
    await c.session(site.publicKey);
    const id = await c.conversation();
    const first = await c.ask(id, 'where is my package', 'msg-dup-0001');
    const again = await c.ask(id, 'where is my package', 'msg-dup-0001');
    expect(again.messages.map((m) => m.id)).toEqual(first.messages.map((m) => m.id));
    const sse = parseSse(await (await c.request('POST', `/v1/widget/conversations/${id}/messages`, { clientMessageId: 'msg-dup-0001', text: 'where is my package' })).text());
    expect(sse.at(-1)!.data.message.id).toBe(first.messages[1]!.id);
    const rows = await t.db.select().from(messages).where(eq(messages.conversationId, id));
    expect(rows).toHaveLength(2);
  });

  it('stores one reply when the same message is sent twice at once', async () => {
    const c = widgetClient(t.app);
    await c.session(site.publicKey);
    const id = await c.conversation();
    const [a, b] = await Promise.all([c.ask(id, 'refund for my return', 'msg-race-001'), c.ask(id, 'refund for my return', 'msg-race-001')]);
    expect(a.messages[1]!.id).toBe(b.messages[1]!.id);
    expect(await t.db.select().from(messages).where(eq(messages.conversationId, id))).toHaveLength(2);
  });

  it('says it cannot answer and offers a human when nothing relevant is known', async () => {
    const c = widgetClient(t.app);
    await c.session(site.publicKey);
    const id = await c.conversation();
    const body = await c.ask(id, 'What is the exchange rate for my card top-up in euros?');
    expect(body.messages[1]!.content).toBe(OUT_OF_SCOPE);
  });

  it('refuses empty, too long and oversized text with a 4xx and stores nothing', async () => {
    const c = widgetClient(t.app);
    await c.session(site.publicKey);
    const id = await c.conversation();
    const before = await messageCount();
    const path = `/v1/widget/conversations/${id}/messages`;
    const empty = await c.request('POST', path, { clientMessageId: 'msg-empty-01', text: '   ' });
    expect(empty.status).toBe(400);
    const long = await c.request('POST', path, { clientMessageId: 'msg-long-001', text: 'x'.repeat(4001) });
    expect(long.status).toBe(400);
    expect((await long.json()).error.message).toMatch(/^text: /);
    const huge = await c.request('POST', path, { clientMessageId: 'msg-huge-001', text: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('payload_too_large');
    const badId = await c.request('POST', path, { clientMessageId: 'bad id with spaces', text: 'hello' });
    expect(badId.status).toBe(400);
    expect(await messageCount()).toBe(before);
  });
});

describe('side-by-side turns', () => {
  it('at compare rate 1, sends two different answers and records the choice', async () => {
    const s = await seedSite(t.db, { compareRate: 1 });
    const c = widgetClient(t.app);
    await c.session(s.publicKey);
    const id = await c.conversation();
    const res = await c.request('POST', `/v1/widget/conversations/${id}/messages`, { clientMessageId: 'msg-cmp-0001', text: 'I want to cancel an order or a purchase' });
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(['message', 'compare', 'done']);
    const { comparison } = events[1]!.data;
    expect(comparison.a).not.toBe(comparison.b);
    expect([comparison.a, comparison.b].sort()).toEqual(
      ['Go to **Order History** on Test Shop and press Cancel.', 'Yes: open Order History, pick the order, press Cancel.'].sort(),
    );
    const [row] = await t.db.select().from(comparisons).where(eq(comparisons.id, comparison.id));
    expect(row!.choice).toBeNull();

    const choose = (clientEventId: string, choice: string) =>
      c.request('POST', `/v1/widget/comparisons/${comparison.id}/choice`, { clientEventId, choice });
    const chosen = await choose('evt-choice-01', 'b');
    expect(chosen.status).toBe(200);
    const body = await chosen.json();
    expect(body).toMatchObject({ duplicate: false, comparison: { choice: 'b' }, message: { content: comparison.b } });
    expect((await (await choose('evt-choice-01', 'b')).json()).duplicate).toBe(true);
    const second = await choose('evt-choice-02', 'a');
    expect(second.status).toBe(409);
    const [after] = await t.db.select().from(comparisons).where(eq(comparisons.id, comparison.id));
    expect(after!.choice).toBe('b');
    const [msg] = await t.db.select().from(messages).where(eq(messages.id, row!.messageId));
    expect(msg!.content).toBe(comparison.b);

    const stranger = widgetClient(t.app);
    await stranger.session(s.publicKey);
    expect((await stranger.request('POST', `/v1/widget/comparisons/${comparison.id}/choice`, { clientEventId: 'evt-choice-09', choice: 'a' })).status).toBe(404);
    const invalid = await c.request('POST', `/v1/widget/comparisons/${comparison.id}/choice`, { clientEventId: 'evt-choice-03', choice: 'c' });
    expect(invalid.status).toBe(400);
  });

  it('falls back to a plain turn when only one relevant answer exists', async () => {
    const s = await seedSite(t.db, { compareRate: 1 });
    const c = widgetClient(t.app);
    await c.session(s.publicKey);
    const id = await c.conversation();
    const body = await c.ask(id, 'I forgot my password');
    expect(body.comparison).toBeUndefined();
  });
});

describe('POST /v1/widget/conversations/:id/flag', () => {
  it('flags the conversation for review once per event', async () => {
    const c = widgetClient(t.app);
    await c.session(site.publicKey);
    const id = await c.conversation();
    const flag = (clientEventId: string, reason: string) =>
      c.request('POST', `/v1/widget/conversations/${id}/flag`, { clientEventId, reason, comment: 'I need a person' });
    const first = await (await flag('evt-flag-0001', 'wants_human')).json();
    expect(first).toMatchObject({ status: 'flagged', duplicate: false });
    const again = await (await flag('evt-flag-0001', 'wants_human')).json();
    expect(again).toMatchObject({ flagId: first.flagId, duplicate: true });
    expect((await flag('evt-flag-0002', 'angry')).status).toBe(400);
    const [conv] = await t.db.select().from(conversations).where(eq(conversations.id, id));
    expect(conv!.status).toBe('flagged');
    const stranger = widgetClient(t.app);
    await stranger.session(site.publicKey);
    expect((await stranger.request('POST', `/v1/widget/conversations/${id}/flag`, { clientEventId: 'evt-flag-0003', reason: 'other' })).status).toBe(404);
  });
});
