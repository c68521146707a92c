import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationDetail, ConversationListResponse, CorrectionView } from '../protocol/admin.js';
import { auditLog, conversations, corrections } from '../server/db/schema.js';
import { addMember, call, expectError, ownedSite, seedConversation, staffSession, type Session } from './admin-fixtures.js';
import { makeTestApp, type TestApp } from './support/app.js';

let t: TestApp;
let owner: Session;
beforeAll(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' });
  owner = await staffSession(t, 'conv-owner');
});
afterAll(async () => {
  await t?.close();
});

const at = (iso: string) => new Date(iso);

async function list(s: Session, siteId: string, query = '') {
  const res = await call(t, s, 'GET', `/sites/${siteId}/conversations${query}`);
  expect(res.status).toBe(200);
  return ConversationListResponse.parse(await res.json());
}

describe('GET /sites/:id/conversations', () => {
  it('lists newest first with counts and the first visitor message as preview, and filters', async () => {
    const site = await ownedSite(t, owner);
    const rated = await seedConversation(t.db, site.id, { updatedAt: at('2024-03-01T10:00:00Z') });
    const r1 = await rated.turn('Where is my parcel?', 'It ships tomorrow.');
    const r2 = await rated.turn('Thanks, and returns?', 'Within 30 days.');
    await rated.rate(r1.assistant.id, 'up');
    await rated.rate(r2.assistant.id, 'down');

    const flagged = await seedConversation(t.db, site.id, { updatedAt: at('2024-03-02T10:00:00Z') });
    await flagged.turn('x'.repeat(300), 'Sorry?');
    await flagged.flag('wrong');
    await flagged.flag('wants_human');

    const resolved = await seedConversation(t.db, site.id, { updatedAt: at('2024-03-03T10:00:00Z'), status: 'resolved' });
    const r3 = await resolved.turn('Opening hours?', '9 to 5.');
    await resolved.rate(r3.assistant.id, 'down');
    await resolved.rate(r3.assistant.id, 'up'); // changed its mind: current value is up

    const empty = await seedConversation(t.db, site.id, { updatedAt: at('2024-03-04T10:00:00Z') });

    const all = await list(owner, site.id);
    expect(all.conversations.map((c) => c.id)).toEqual([empty.id, resolved.id, flagged.id, rated.id]);
    expect(all.nextCursor).toBeNull();
    const byId = new Map(all.conversations.map((c) => [c.id, c]));
    expect(byId.get(rated.id)).toMatchObject({
      status: 'open',
      preview: 'Where is my parcel?',
      counts: { messages: 4, thumbsUp: 1, thumbsDown: 1, flags: 0 },
    });
    expect(byId.get(flagged.id)).toMatchObject({ status: 'flagged', preview: 'x'.repeat(200), counts: { messages: 2, flags: 2 } });
    expect(byId.get(resolved.id)!.counts).toEqual({ messages: 2, thumbsUp: 1, thumbsDown: 0, flags: 0 });
    expect(byId.get(empty.id)).toMatchObject({ preview: null, counts: { messages: 0, thumbsUp: 0, thumbsDown: 0, flags: 0 } });

    const ids = async (query: string) => (await list(owner, site.id, query)).conversations.map((c) => c.id);
    expect(await ids('?status=flagged')).toEqual([flagged.id]);
    expect(await ids('?status=open')).toEqual([empty.id, rated.id]);
    expect(await ids('?rating=down')).toEqual([rated.id]);
    expect(await ids('?rating=up')).toEqual([resolved.id, rated.id]);
    expect(await ids('?flagged=true')).toEqual([flagged.id]);
    expect(await ids('?flagged=false')).toEqual([empty.id, resolved.id, rated.id]);
    expect(await ids('?from=2024-03-02T00:00:00Z&to=2024-03-03T12:00:00Z')).toEqual([resolved.id, flagged.id]);
    expect(await ids('?status=open&rating=up')).toEqual([rated.id]);

    await expectError(await call(t, owner, 'GET', `/sites/${site.id}/conversations?status=closed`), 400, 'validation_failed');
    await expectError(await call(t, owner, 'GET', `/sites/${site.id}/conversations?from=yesterday`), 400, 'validation_failed');
    await expectError(await call(t, owner, 'GET', `/sites/${site.id}/conversations?cursor=abc`), 400, 'validation_failed');
  });

  it('pages with a keyset cursor: every conversation exactly once, even when they share a timestamp', async () => {
    const site = await ownedSite(t, owner);
    const seeded: string[] = [];
    for (let i = 0; i < 5; i++) {
      // Two share a timestamp; all five share one millisecond (a cursor keeping only ms would skip rows).
      const id = (await seedConversation(t.db, site.id)).id;
      const micros = `2024-05-05 05:05:05.12300${Math.min(i, 3)}+00`;
      await t.db.update(conversations).set({ updatedAt: sql`${micros}::timestamptz` }).where(eq(conversations.id, id));
      seeded.push(id);
    }
    seeded.push((await seedConversation(t.db, site.id, { updatedAt: at('2024-05-06T00:00:00Z') })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(owner, site.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.conversations.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(6);
    expect(new Set(seen)).toEqual(new Set(seeded));
    expect(seen[0]).toBe(seeded[5]);
  });

  it("is 404 for a site the caller is not a member of, and shows none of another site's conversations", async () => {
    const site = await ownedSite(t, owner);
    const stranger = await staffSession(t, 'conv-stranger');
    const strangerSite = await ownedSite(t, stranger, 'Elsewhere');
    await seedConversation(t.db, site.id);
    await expectError(await call(t, stranger, 'GET', `/sites/${site.id}/conversations`), 404, 'not_found');
    expect((await list(stranger, strangerSite.id)).conversations).toEqual([]);
  });
});

describe('GET /conversations/:id', () => {
  it('returns every message with comparison, current thumbs with history, corrections, and flags', async () => {
    const site = await ownedSite(t, owner);
    const conv = await seedConversation(t.db, site.id);
    const t1 = await conv.turn('Do you deliver on Sunday?', 'No.');
    await conv.rate(t1.assistant.id, 'down', ['incomplete']);
    await conv.rate(t1.assistant.id, 'up');
    const t2 = await conv.compare('And Saturday?', 'Yes, until noon.', 'Sometimes.', 'a');
    const failed = await conv.say('assistant', 'partial answ', { failed: true });
    await conv.flag('wants_human');
    const [fix] = await t.db
      .insert(corrections)
      .values({ siteId: site.id, messageId: t1.assistant.id, authorId: owner.userId, text: 'No, but Saturday yes.' })
      .returning();

    const res = await call(t, owner, 'GET', `/conversations/${conv.id}`);
    expect(res.status).toBe(200);
    const detail = ConversationDetail.parse(await res.json());
    expect(detail.conversation).toMatchObject({ id: conv.id, siteId: site.id, status: 'flagged', visitorId: conv.visitorId });
    expect(detail.messages.map((m) => [m.role, m.content, m.failed])).toEqual([
      ['user', 'Do you deliver on Sunday?', false],
      ['assistant', 'No.', false],
      ['user', 'And Saturday?', false],
      ['assistant', 'Yes, until noon.', false],
      ['assistant', 'partial answ', true],
    ]);
    const answer = detail.messages[1]!;
    expect(answer.thumbs.map((x) => [x.rating, x.reasons])).toEqual([['up', []]]);
    expect(answer.thumbsHistory.map((x) => [x.rating, x.reasons])).toEqual([
      ['down', ['incomplete']],
      ['up', []],
    ]);
    expect(answer.corrections).toEqual([
      { id: fix!.id, messageId: t1.assistant.id, text: 'No, but Saturday yes.', authorId: owner.userId, createdAt: fix!.createdAt.toISOString() },
    ]);
    expect(answer.comparison).toBeNull();
    const compared = detail.messages[3]!;
    expect(compared.id).toBe(t2.assistant.id);
    expect(compared.comparison).toMatchObject({
      id: t2.comparison.id,
      a: { content: 'Yes, until noon.', responder: 'policy', modelVersion: 'v2' },
      b: { content: 'Sometimes.', responder: 'policy', modelVersion: 'v1' },
      choice: 'a',
    });
    expect(compared.replyToId).toBe(t2.user.id);
    expect(detail.messages[4]!.id).toBe(failed.id);
    expect(detail.flags.map((f) => f.reason)).toEqual(['wants_human']);
  });

  it("is 404 for another site's conversation, a missing one and a malformed id", async () => {
    const site = await ownedSite(t, owner);
    const conv = await seedConversation(t.db, site.id);
    const stranger = await staffSession(t, 'detail-stranger');
    await expectError(await call(t, stranger, 'GET', `/conversations/${conv.id}`), 404, 'not_found');
    await expectError(await call(t, owner, 'GET', '/conversations/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    await expectError(await call(t, owner, 'GET', '/conversations/123'), 404, 'not_found');
  });
});

describe('POST /conversations/:id/resolve', () => {
  it('resolves (reviewers may), writes one audit row, and is idempotent', async () => {
    const site = await ownedSite(t, owner);
    const conv = await seedConversation(t.db, site.id);
    await conv.flag();
    const reviewer = await staffSession(t, 'resolver');
    await addMember(t.db, reviewer.userId, site.id, 'reviewer');

    const res = await call(t, reviewer, 'POST', `/conversations/${conv.id}/resolve`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; status: string; resolvedAt: string };
    expect(body).toMatchObject({ id: conv.id, status: 'resolved' });
    const [row] = await t.db.select().from(conversations).where(eq(conversations.id, conv.id));
    expect(row!.status).toBe('resolved');
    expect(row!.resolvedAt?.toISOString()).toBe(body.resolvedAt);

    expect((await call(t, reviewer, 'POST', `/conversations/${conv.id}/resolve`)).status).toBe(200);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.target, conv.id));
    expect(audit.map((a) => [a.action, a.actorUserId, a.data])).toEqual([['conversation.resolve', reviewer.userId, { from: 'flagged' }]]);
  });

  it("is 404 for another site's conversation and leaves it alone", async () => {
    const site = await ownedSite(t, owner);
    const conv = await seedConversation(t.db, site.id);
    const stranger = await staffSession(t, 'resolve-stranger');
    await expectError(await call(t, stranger, 'POST', `/conversations/${conv.id}/resolve`), 404, 'not_found');
    const [row] = await t.db.select().from(conversations).where(eq(conversations.id, conv.id));
    expect(row!.status).toBe('open');
  });
});

describe('POST /messages/:id/corrections', () => {
  it('stores a correction of an assistant answer (201) with an audit row', async () => {
    const site = await ownedSite(t, owner);
    const conv = await seedConversation(t.db, site.id);
    const turn = await conv.turn('Price of shipping?', 'Free.');
    const reviewer = await staffSession(t, 'corrector');
    await addMember(t.db, reviewer.userId, site.id, 'reviewer');
    const res = await call(t, reviewer, 'POST', `/messages/${turn.assistant.id}/corrections`, {
      body: { text: '  Free over $50, otherwise $5.  ' },
    });
    expect(res.status).toBe(201);
    const correction = CorrectionView.parse(await res.json());
    expect(correction).toMatchObject({ messageId: turn.assistant.id, text: 'Free over $50, otherwise $5.', authorId: reviewer.userId });
    const rows = await t.db.select().from(corrections).where(eq(corrections.messageId, turn.assistant.id));
    expect(rows.map((r) => r.text)).toEqual(['Free over $50, otherwise $5.']);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.target, turn.assistant.id));
    expect(audit.map((a) => a.action)).toEqual(['correction.create']);
  });

  it('refuses a correction of a visitor message (400), an empty or too long text (400), and stores nothing', async () => {
    const site = await ownedSite(t, owner);
    const conv = await seedConversation(t.db, site.id);
    const turn = await conv.turn('Hi', 'Hello!');
    const onUser = await call(t, owner, 'POST', `/messages/${turn.user.id}/corrections`, { body: { text: 'Better' } });
    await expectError(onUser, 400, 'not_assistant_message');
    for (const text of ['   ', 'x'.repeat(8001)]) {
      const res = await call(t, owner, 'POST', `/messages/${turn.assistant.id}/corrections`, { body: { text } });
      await expectError(res, 400, 'validation_failed');
    }
    expect((await call(t, owner, 'POST', `/messages/${turn.assistant.id}/corrections`, { body: { text: 'x'.repeat(8000) } })).status).toBe(201);
    expect(await t.db.select().from(corrections).where(eq(corrections.messageId, turn.user.id))).toEqual([]);
  });

  it("is 404 for another site's message", async () => {
    const site = await ownedSite(t, owner);
    const conv = await seedConversation(t.db, site.id);
    const turn = await conv.turn('Hi', 'Hello!');
    const stranger = await staffSession(t, 'correct-stranger');
    await expectError(
      await call(t, stranger, 'POST', `/messages/${turn.assistant.id}/corrections`, { body: { text: 'Mine' } }),
      404,
      'not_found',
    );
    expect(await t.db.select().from(corrections).where(eq(corrections.messageId, turn.assistant.id))).toEqual([]);
  });
});
