import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreferenceLine, SftLine, ThumbsLine } from '../protocol/admin.js';
import { conversations, corrections, feedbackEvents, messages, visitors } from '../server/db/schema.js';
import { PAGE_SIZE } from '../server/services/exports/pages.js';
import { addMember, call, expectError, jsonl, ownedSite, seedConversation, staffSession, type Session } from './admin-fixtures.js';
import { makeTestApp, type TestApp } from './support/app.js';

let t: TestApp;
let owner: Session;
let siteId: string;

const user = (content: string) => ({ role: 'user', content });
const bot = (content: string) => ({ role: 'assistant', content });

/**
 * Conversation 1: a plain answer rated up; a comparison decided for b; a staff reply; an answer
 * (after a failed attempt) rated down and corrected; a tie.
 * Conversation 2: a comparison decided for a and rated up; an answer rated up then cleared; an
 * answer rated down then up. Another site holds feedback that must never appear.
 */
beforeAll(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' });
  owner = await staffSession(t, 'export-owner');
  const site = await ownedSite(t, owner, 'Export Shop');
  siteId = site.id;

  const c1 = await seedConversation(t.db, siteId);
  const t1 = await c1.turn('Q1', 'A1');
  await c1.rate(t1.assistant.id, 'up');
  await c1.compare('Q2', 'A2a', 'A2b', 'b');
  await c1.say('staff', 'A human will follow up.');
  const q3 = await c1.say('user', 'Q3');
  await c1.say('assistant', 'partial', { failed: true });
  const a3 = await c1.say('assistant', 'A3', { replyToId: q3.id });
  await c1.rate(a3.id, 'down', ['wrong']);
  await t.db.insert(corrections).values({ siteId, messageId: a3.id, authorId: owner.userId, text: 'A3 fixed' });
  await c1.compare('Q4', 'A4a', 'A4b', 'tie');

  const c2 = await seedConversation(t.db, siteId);
  const p1 = await c2.compare('P1', 'P1a', 'P1b', 'a');
  await c2.rate(p1.assistant.id, 'up');
  const p2 = await c2.turn('P2', 'P2ans');
  await c2.rate(p2.assistant.id, 'up');
  await c2.rate(p2.assistant.id, null);
  const p3 = await c2.turn('P3', 'P3ans');
  await c2.rate(p3.assistant.id, 'down');
  await c2.rate(p3.assistant.id, 'up');

  const elsewhere = await ownedSite(t, owner, 'Other Shop');
  const c3 = await seedConversation(t.db, elsewhere.id);
  const o1 = await c3.turn('Other question', 'Other answer');
  await c3.rate(o1.assistant.id, 'up');
  await c3.compare('Other Q2', 'Oa', 'Ob', 'a');
  await t.db.insert(corrections).values({ siteId: elsewhere.id, messageId: o1.assistant.id, text: 'Other fix' });
});
afterAll(async () => {
  await t?.close();
});

async function download(s: Session, kind: string) {
  const res = await call(t, s, 'GET', `/sites/${siteId}/export/${kind}.jsonl`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${kind}.jsonl"`);
  return jsonl(res);
}

const c1UpToQ3 = [user('Q1'), bot('A1'), user('Q2'), bot('A2b'), bot('A human will follow up.'), user('Q3')];

describe('exports', () => {
  it('preferences.jsonl: decided comparisons (chosen ≻ other alternative), then corrections (correction ≻ original)', async () => {
    const lines = await download(owner, 'preferences');
    expect(lines).toEqual([
      { prompt: [user('Q1'), bot('A1'), user('Q2')], chosen: [bot('A2b')], rejected: [bot('A2a')] },
      { prompt: [user('P1')], chosen: [bot('P1a')], rejected: [bot('P1b')] },
      { prompt: c1UpToQ3, chosen: [bot('A3 fixed')], rejected: [bot('A3')] },
    ]);
    for (const line of lines) PreferenceLine.parse(line);
  });

  it('thumbs.jsonl: current ratings only, label true for up and false for down', async () => {
    const lines = await download(owner, 'thumbs');
    expect(lines).toEqual([
      { prompt: [user('Q1')], completion: [bot('A1')], label: true },
      { prompt: c1UpToQ3, completion: [bot('A3')], label: false },
      { prompt: [user('P1')], completion: [bot('P1a')], label: true },
      { prompt: [user('P1'), bot('P1a'), user('P2'), bot('P2ans'), user('P3')], completion: [bot('P3ans')], label: true },
    ]);
    for (const line of lines) ThumbsLine.parse(line);
  });

  it('sft.jsonl: corrections, chosen comparison answers, then up-rated answers not already included', async () => {
    const lines = await download(owner, 'sft');
    expect(lines).toEqual([
      { prompt: c1UpToQ3, completion: [bot('A3 fixed')] },
      { prompt: [user('Q1'), bot('A1'), user('Q2')], completion: [bot('A2b')] },
      { prompt: [user('P1')], completion: [bot('P1a')] },
      { prompt: [user('Q1')], completion: [bot('A1')] },
      { prompt: [user('P1'), bot('P1a'), user('P2'), bot('P2ans'), user('P3')], completion: [bot('P3ans')] },
    ]);
    for (const line of lines) SftLine.parse(line);
  });

  it('lets reviewers export, and answers 404 to staff of other sites', async () => {
    const reviewer = await staffSession(t, 'export-reviewer');
    await addMember(t.db, reviewer.userId, siteId, 'reviewer');
    expect(await download(reviewer, 'sft')).toHaveLength(5);
    const stranger = await staffSession(t, 'export-stranger');
    for (const kind of ['preferences', 'thumbs', 'sft']) {
      await expectError(await call(t, stranger, 'GET', `/sites/${siteId}/export/${kind}.jsonl`), 404, 'not_found');
    }
  });

  it('streams an empty body for a site without feedback', async () => {
    const empty = await ownedSite(t, owner, 'Quiet Shop');
    const res = await call(t, owner, 'GET', `/sites/${empty.id}/export/preferences.jsonl`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('reads past the first page: every rated answer once, in order', async () => {
    const big = await ownedSite(t, owner, 'Busy Shop');
    const n = PAGE_SIZE + 20;
    const vs = await t.db.insert(visitors).values(Array.from({ length: n }, () => ({ siteId: big.id }))).returning();
    const cs = await t.db
      .insert(conversations)
      .values(vs.map((v) => ({ siteId: big.id, visitorId: v.id })))
      .returning();
    const ms = await t.db
      .insert(messages)
      .values(
        cs.flatMap((c, i) => [
          { siteId: big.id, conversationId: c.id, role: 'user' as const, content: `q${i}` },
          { siteId: big.id, conversationId: c.id, role: 'assistant' as const, content: `a${i}` },
        ]),
      )
      .returning();
    const answers = ms.filter((m) => m.role === 'assistant');
    await t.db.insert(feedbackEvents).values(
      answers.map((m, i) => ({
        siteId: big.id,
        messageId: m.id,
        visitorId: vs[i]!.id,
        clientEventId: `ev-${i}`,
        rating: i % 2 ? ('down' as const) : ('up' as const),
      })),
    );
    const res = await call(t, owner, 'GET', `/sites/${big.id}/export/thumbs.jsonl`);
    const lines = (await jsonl(res)) as { prompt: unknown[]; completion: { content: string }[]; label: boolean }[];
    expect(lines).toHaveLength(n);
    expect(lines.map((l) => l.completion[0]!.content)).toEqual(Array.from({ length: n }, (_, i) => `a${i}`));
    expect(lines[n - 1]).toEqual({ prompt: [user(`q${n - 1}`)], completion: [bot(`a${n - 1}`)], label: n % 2 === 1 });
    const sft = (await jsonl(await call(t, owner, 'GET', `/sites/${big.id}/export/sft.jsonl`))) as { completion: { content: string }[] }[];
    expect(sft.map((l) => l.completion[0]!.content)).toEqual(
      Array.from({ length: n }, (_, i) => `a${i}`).filter((_, i) => i % 2 === 0),
    );
  });
});
