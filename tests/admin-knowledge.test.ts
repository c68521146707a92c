import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeListResponse } from '../protocol/admin.js';
import { Limits } from '../protocol/limits.js';
import { auditLog, knowledgeEntries, sites } from '../server/db/schema.js';
import { importKnowledge, knowledgeHash } from '../server/services/knowledge/import.js';
import { addMember, call, expectError, ownedSite, staffSession, type Session } from './admin-fixtures.js';
import { makeTestApp, type TestApp } from './support/app.js';

let t: TestApp;
let owner: Session;
beforeAll(async () => {
  t = await makeTestApp({ TRUST_PROXY: 'true' });
  owner = await staffSession(t, 'kb-owner');
});
afterAll(async () => {
  await t?.close();
});

const upload = (s: Session, siteId: string, body: string, type: string) =>
  call(t, s, 'POST', `/sites/${siteId}/knowledge`, { raw: { body, type } });

async function stored(siteId: string) {
  const rows = await t.db.select().from(knowledgeEntries).where(eq(knowledgeEntries.siteId, siteId));
  return rows.map((r) => [r.question, r.answer, r.intent]).sort();
}
const versionOf = async (siteId: string) =>
  (await t.db.select({ v: sites.knowledgeVersion }).from(sites).where(eq(sites.id, siteId)))[0]!.v;

describe('POST /sites/:id/knowledge', () => {
  it('imports a JSON array (ours and Bitext-style rows), bumps knowledge_version, and re-import adds nothing', async () => {
    const site = await ownedSite(t, owner);
    const body = JSON.stringify([
      { question: 'How do I reset my password?', answer: 'Use "Forgot password" on the sign-in page.' },
      { instruction: 'where is my order', response: 'Track it under Orders.', intent: 'track_order', category: 'ORDER' },
    ]);
    const first = await upload(owner, site.id, body, 'application/json');
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ added: 2, skipped: 0 });
    expect(await stored(site.id)).toEqual([
      ['How do I reset my password?', 'Use "Forgot password" on the sign-in page.', null],
      ['where is my order', 'Track it under Orders.', 'track_order'],
    ]);
    expect(await versionOf(site.id)).toBe(1);
    const [row] = await t.db.select().from(knowledgeEntries).where(eq(knowledgeEntries.question, 'where is my order'));
    expect(row!.contentHash).toBe(knowledgeHash('where is my order', 'Track it under Orders.'));

    const again = await upload(owner, site.id, body, 'application/json');
    expect(await again.json()).toEqual({ added: 0, skipped: 2 });
    expect(await versionOf(site.id)).toBe(1);
    expect(await stored(site.id)).toHaveLength(2);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.siteId, site.id));
    expect(audit.filter((a) => a.action === 'knowledge.import').map((a) => a.data)).toEqual([
      { added: 2, skipped: 0 },
      { added: 0, skipped: 2 },
    ]);
  });

  it('imports JSONL (by Content-Type, and sniffed), skipping blank lines and repeats inside the file', async () => {
    const site = await ownedSite(t, owner);
    const lines = [
      '{"question":"Do you ship abroad?","answer":"Yes, to 30 countries."}',
      '',
      '{"question":"Do you ship abroad?","answer":"Yes, to 30 countries."}',
      '{"question":"Can I pay by card?","answer":"Visa and Mastercard.","intent":"payment"}',
    ].join('\n');
    expect(await (await upload(owner, site.id, lines, 'application/x-ndjson')).json()).toEqual({ added: 2, skipped: 1 });
    const more = '{"question":"Is there a warranty?","answer":"Two years."}\r\n';
    expect(await (await upload(owner, site.id, more, 'text/plain')).json()).toEqual({ added: 1, skipped: 0 });
    expect(await stored(site.id)).toEqual([
      ['Can I pay by card?', 'Visa and Mastercard.', 'payment'],
      ['Do you ship abroad?', 'Yes, to 30 countries.', null],
      ['Is there a warranty?', 'Two years.', null],
    ]);
    expect(await versionOf(site.id)).toBe(2);
  });

  it('imports CSV with RFC 4180 quoting (commas, quotes, newlines in fields) and a header naming the columns', async () => {
    const site = await ownedSite(t, owner);
    const csv =
      '\uFEFFintent,Question,Answer\r\n' +
      'refund,"Can I get a refund, please?","Yes, within 30 days. Say ""refund"" in chat."\r\n' +
      ',Opening hours?,"Mon-Fri\n9 to 5"\r\n';
    const res = await upload(owner, site.id, csv, 'text/csv; charset=utf-8');
    expect(await res.json()).toEqual({ added: 2, skipped: 0 });
    expect(await stored(site.id)).toEqual([
      ['Can I get a refund, please?', 'Yes, within 30 days. Say "refund" in chat.', 'refund'],
      ['Opening hours?', 'Mon-Fri\n9 to 5', null],
    ]);
  });

  it.each([
    ['JSON that does not parse', '[{"question":"a","answer":', 'application/json', 'invalid_json', /JSON/],
    ['a JSON object instead of an array', '{"question":"a"', 'application/json', 'invalid_json', /line 1/],
    ['an entry without an answer', '[{"question":"ok","answer":"fine"},{"question":"b"}]', 'application/json', 'validation_failed', /entry 2: answer/],
    ['a JSONL line that does not parse', '{"question":"a","answer":"b"}\n{oops}\n', 'application/x-ndjson', 'invalid_json', /line 2/],
    ['CSV with an unclosed quote', 'question,answer\nok,fine\n"broken,answer\n', 'text/csv', 'bad_request', /line 3/],
    ['CSV with text after a closing quote', 'question,answer\n"ok"x,fine\n', 'text/csv', 'bad_request', /line 2/],
    ['CSV with a missing column', 'question,answer\nok,fine\nonly one field\n', 'text/csv', 'bad_request', /line 3/],
    ['CSV without the needed header', 'q,a\nx,y\n', 'text/csv', 'bad_request', /question,answer/],
    ['CSV with an empty answer', 'question,answer\nok,\n', 'text/csv', 'validation_failed', /line 2: answer/],
    ['an empty array', '[]', 'application/json', 'bad_request', /no entries/],
  ])('refuses %s with 400 naming the place, and stores nothing', async (_what, body, type, code, message) => {
    const site = await ownedSite(t, owner);
    const error = await expectError(await upload(owner, site.id, body, type), 400, code);
    expect(error.message).toMatch(message);
    expect(await stored(site.id)).toEqual([]);
    expect(await versionOf(site.id)).toBe(0);
  });

  it('refuses an unknown Content-Type with 415', async () => {
    const site = await ownedSite(t, owner);
    await expectError(await upload(owner, site.id, '<kb/>', 'application/xml'), 415, 'unsupported_media_type');
  });

  it('refuses a body over the admin limit with 413', async () => {
    const site = await ownedSite(t, owner);
    const res = await upload(owner, site.id, 'x'.repeat(Limits.adminBodyBytes + 1), 'text/csv');
    await expectError(res, 413, 'payload_too_large');
  });

  it('lets reviewers read but not import (403), and strangers neither (404)', async () => {
    const site = await ownedSite(t, owner);
    const reviewer = await staffSession(t, 'kb-reviewer');
    const stranger = await staffSession(t, 'kb-stranger');
    await addMember(t.db, reviewer.userId, site.id, 'reviewer');
    const body = '[{"question":"q","answer":"a"}]';
    await expectError(await upload(reviewer, site.id, body, 'application/json'), 403, 'forbidden');
    await expectError(await upload(stranger, site.id, body, 'application/json'), 404, 'not_found');
    await expectError(await call(t, stranger, 'GET', `/sites/${site.id}/knowledge`), 404, 'not_found');
    expect((await call(t, reviewer, 'GET', `/sites/${site.id}/knowledge`)).status).toBe(200);
    expect(await stored(site.id)).toEqual([]);
  });
});

describe('importKnowledge', () => {
  it('inserts large files in batches inside one transaction', async () => {
    const site = await ownedSite(t, owner);
    const entries = Array.from({ length: 1234 }, (_, i) => ({ question: `question ${i}`, answer: `answer ${i}` }));
    expect(await importKnowledge({ db: t.db, siteId: site.id, entries })).toEqual({ added: 1234, skipped: 0 });
    expect(await versionOf(site.id)).toBe(1);
  });

  it('validates entries handed in directly (trimmed; an empty answer is a 400 and nothing is stored)', async () => {
    const site = await ownedSite(t, owner);
    await expect(
      importKnowledge({ db: t.db, siteId: site.id, entries: [{ question: ' ok ', answer: 'fine' }, { question: 'q', answer: '  ' }] }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/entry 2: answer/) });
    expect(await stored(site.id)).toEqual([]);
    expect(await importKnowledge({ db: t.db, siteId: site.id, entries: [{ question: ' ok ', answer: 'fine' }] })).toEqual({ added: 1, skipped: 0 });
    expect(await stored(site.id)).toEqual([['ok', 'fine', null]]);
  });

  it('rolls back every batch when a later one fails', async () => {
    const site = await ownedSite(t, owner);
    const entries = Array.from({ length: 700 }, (_, i) => ({ question: `q${i}`, answer: `a${i}` }));
    // A NUL byte is valid JS but not valid Postgres text: the second batch fails.
    entries[650] = { question: 'bad\u0000', answer: 'x' };
    await expect(importKnowledge({ db: t.db, siteId: site.id, entries })).rejects.toThrow();
    expect(await stored(site.id)).toEqual([]);
    expect(await versionOf(site.id)).toBe(0);
  });
});

describe('GET /sites/:id/knowledge', () => {
  it('pages through entries with a total, and filters by a literal substring', async () => {
    const site = await ownedSite(t, owner);
    await importKnowledge({
      db: t.db,
      siteId: site.id,
      entries: [
        { question: 'Alpha shipping', answer: 'one' },
        { question: 'Beta', answer: 'two 100% sure' },
        { question: 'Gamma', answer: 'three' },
      ],
    });
    const page = KnowledgeListResponse.parse(await (await call(t, owner, 'GET', `/sites/${site.id}/knowledge?limit=2&offset=0`)).json());
    expect(page.total).toBe(3);
    expect(page.items.map((i) => i.question)).toEqual(['Alpha shipping', 'Beta']);
    const next = KnowledgeListResponse.parse(await (await call(t, owner, 'GET', `/sites/${site.id}/knowledge?limit=2&offset=2`)).json());
    expect(next.items.map((i) => i.question)).toEqual(['Gamma']);
    const q = KnowledgeListResponse.parse(await (await call(t, owner, 'GET', `/sites/${site.id}/knowledge?q=SHIP`)).json());
    expect([q.total, q.items.map((i) => i.question)]).toEqual([1, ['Alpha shipping']]);
    const pct = KnowledgeListResponse.parse(await (await call(t, owner, 'GET', `/sites/${site.id}/knowledge?q=%25`)).json());
    expect(pct.items.map((i) => i.question)).toEqual(['Beta']);
    await expectError(await call(t, owner, 'GET', `/sites/${site.id}/knowledge?limit=0`), 400, 'validation_failed');
  });
});
