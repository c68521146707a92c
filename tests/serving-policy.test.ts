import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PolicyResponder } from '../assistant/policy/policy-responder.js';
import { KnowledgeIndex } from '../assistant/retrieval/index.js';
import { DEFAULT_RETRIEVAL, RetrievalResponder } from '../assistant/retrieval/responder.js';
import { memberships, messages, modelVersions, sites } from '../server/db/schema.js';
import { saveModelVersion } from '../server/services/models/save-version.js';
import { call, staffSession, type Session } from './admin-fixtures.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { KNOWLEDGE, seedSite } from './support/fixtures.js';
import { secondInstance } from './support/second-instance.js';
import { trainTinyPolicy, untrainedPolicy } from './support/tiny-policy.js';
import { parseSse, widgetClient } from './support/widget-client.js';

let t: TestApp;
let owner: Session;
let trained: Uint8Array;
let retrained: Uint8Array;
let barelyTrained: Uint8Array;
let slow: Uint8Array;

beforeAll(async () => {
  trained = await trainTinyPolicy();
  retrained = await trainTinyPolicy({ seed: 2, steps: 40 });
  barelyTrained = await trainTinyPolicy({ seed: 5, steps: 10 });
  // Big enough that its prompt's first forward pass takes a while; greedy, it never stops before the cap.
  slow = await untrainedPolicy({ nLayer: 4, nEmbd: 192, blockSize: 512 });
  t = await makeTestApp({ GENERATION_MAX_TOKENS: '48' });
  owner = await staffSession(t, 'serving-owner');
}, 120_000);
afterAll(() => t.close());

type SiteRow = Awaited<ReturnType<typeof seedSite>>;

/** A seeded site with the persona the tiny policy was trained with (none). */
async function shop(opts: Parameters<typeof seedSite>[1] = {}, persona = ''): Promise<SiteRow> {
  const site = await seedSite(t.db, opts);
  await t.db.update(sites).set({ persona }).where(eq(sites.id, site.id));
  return { ...site, persona };
}

async function policy(site: SiteRow, bytes: Uint8Array, status: 'ready' | 'active' | 'candidate' = 'active', name = 'sft-test') {
  const v = await saveModelVersion({ db: t.db, input: { siteId: site.id, kind: 'policy', name, bytes } });
  if (status !== 'ready') await t.db.update(modelVersions).set({ status }).where(eq(modelVersions.id, v.id));
  return v;
}

async function sse(app: TestApp['app'], site: SiteRow, text: string) {
  const c = widgetClient(app);
  await c.session(site.publicKey);
  const id = await c.conversation();
  const res = await c.request('POST', `/v1/widget/conversations/${id}/messages`, { clientMessageId: `m-${crypto.randomUUID()}`, text });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  return { conversationId: id, events: parseSse(await res.text()) };
}

describe('serving a trained policy', () => {
  it('streams model tokens over the SSE route and stores what it streamed, with responder and version', async () => {
    const site = await shop();
    const v = await policy(site, trained);
    const { conversationId, events } = await sse(t.app, site, 'How do I cancel my order?');
    const tokens = events.filter((e) => e.event === 'token');
    expect(tokens.length).toBeGreaterThan(3);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    const streamed = tokens.map((e) => e.data.text).join('');
    expect(done.data.message).toMatchObject({ role: 'assistant', content: streamed, responder: 'policy', modelVersion: v.id });
    // The tiny policy copies its passage; the {{Website Name}} slot it writes is filled for the visitor.
    expect(streamed).toContain('Test Shop');
    expect(streamed).not.toContain('{{');
    const [stored] = await t.db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.role, 'assistant')));
    expect(stored).toMatchObject({ content: streamed, responder: 'policy', modelVersion: v.id });
  });

  it('answers with retrieval when the site has no active policy, or one that cannot load', async () => {
    const none = await shop();
    await policy(none, trained, 'ready');
    const plain = await sse(t.app, none, 'How do I cancel my order?');
    expect(plain.events.at(-1)!.data.message).toMatchObject({ responder: 'retrieval', modelVersion: 'kb-1' });

    const broken = await shop();
    await policy(broken, new TextEncoder().encode('not a checkpoint at all'));
    const log = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fallback = await sse(t.app, broken, 'How do I cancel my order?');
    expect(fallback.events.at(-1)!.data.message).toMatchObject({ responder: 'retrieval', content: 'Go to **Order History** on Test Shop and press Cancel.' });
    expect(log.mock.calls.flat().join('\n')).toMatch(/cannot serve, answering with retrieval: not a Rapport checkpoint/);
    log.mockRestore();
  });

  it('hot-swaps on activation over the admin API, here and in a second server that only hears it over Redis', async () => {
    const site = await shop();
    await t.db.insert(memberships).values({ userId: owner.userId, siteId: site.id, role: 'owner' });
    const other = await secondInstance(t);
    try {
      // Both servers have answered (and cached) with retrieval before any policy is active.
      for (const app of [t.app, other.app]) expect((await sse(app, site, 'Where is my package?')).events.at(-1)!.data.message.responder).toBe('retrieval');

      const first = await policy(site, trained, 'ready', 'sft-1');
      expect((await call(t, owner, 'POST', `/models/${first.id}/activate`)).status).toBe(200);
      expect((await sse(t.app, site, 'How do I cancel my order?')).events.at(-1)!.data.message).toMatchObject({ responder: 'policy', modelVersion: first.id });
      // The other server re-checks only on the message (its own re-check is a minute away).
      await vi.waitFor(async () => expect(await other.deps.assistant.responderFor(site)).toBeInstanceOf(PolicyResponder), { timeout: 5000 });
      expect((await sse(other.app, site, 'How do I cancel my order?')).events.at(-1)!.data.message).toMatchObject({ responder: 'policy', modelVersion: first.id });

      const second = await policy(site, retrained, 'ready', 'sft-2');
      expect((await call(t, owner, 'POST', `/models/${second.id}/activate`)).status).toBe(200);
      await vi.waitFor(async () => {
        const { events } = await sse(other.app, site, 'How do I cancel my order?');
        expect(events.at(-1)!.data.message.modelVersion).toBe(second.id);
      }, { timeout: 5000 });
      expect((await sse(t.app, site, 'How do I cancel my order?')).events.at(-1)!.data.message.modelVersion).toBe(second.id);
    } finally {
      await other.close();
    }
  });

  it('pits the active policy against a candidate in a comparison, or two samples when there is none', async () => {
    const site = await shop({ compareRate: 1 });
    const active = await policy(site, trained);
    const candidate = await policy(site, slow, 'candidate', 'candidate');
    const c = widgetClient(t.app);
    await c.session(site.publicKey);
    const pair = await c.ask(await c.conversation(), 'How do I cancel my order?');
    expect(pair.comparison).toBeDefined();
    const [stored] = await t.db.select().from(messages).where(eq(messages.id, pair.messages[1]!.id));
    expect(stored!.alternatives!.map((a) => a.modelVersion).sort()).toEqual([active.id, candidate.id].sort());
    expect(pair.comparison!.a).not.toBe(pair.comparison!.b);

    const samples = await shop({ compareRate: 1 });
    // Barely trained, sampled at 0.8 with two seeds: two different answers of one policy.
    const sampler = await policy(samples, barelyTrained);
    await c.session(samples.publicKey);
    const two = await c.ask(await c.conversation(), 'Where is my package?');
    expect(two.comparison).toBeDefined();
    expect(two.comparison!.a).not.toBe(two.comparison!.b);
    const [row] = await t.db.select().from(messages).where(eq(messages.id, two.messages[1]!.id));
    expect(row!.alternatives!.map((a) => a.modelVersion)).toEqual([sampler.id, sampler.id]);
  });

  it('offers one answer instead of a comparison of two equal ones', async () => {
    const index = new KnowledgeIndex(KNOWLEDGE.map((k, i) => ({ id: String(i), ...k })));
    const load = async () => trained;
    const active = { versionId: 'greedy-test', label: 'greedy-test', info: await t.deps.generation.prepare('greedy-test', load), load };
    const greedy = new PolicyResponder({
      pool: t.deps.generation,
      index,
      active,
      candidate: null,
      fallback: new RetrievalResponder(index, { ...DEFAULT_RETRIEVAL, version: 'kb-test' }),
      // Greedy "samples" are the same text whatever their seeds.
      options: { maxNewTokens: 24, temperature: 0, compareTemperature: 0, topP: 1, copyBias: 0, noRepeatNgram: 0 },
      log: () => {},
    });
    const drafts = await greedy.draft({ persona: '', placeholders: {}, history: [], question: 'How do I cancel my order?' }, 2);
    expect(drafts.map((d) => [d.responder, d.modelVersion])).toEqual([['policy', 'greedy-test']]);
  });

  it('stops generating when the visitor goes away, and keeps the event loop free meanwhile', async () => {
    const site = await shop({ knowledge: [] }, 'You are the helpful assistant of a shop. '.repeat(40));
    await policy(site, slow);
    const stats = async () => (await t.deps.generation.stats()).reduce((a, s) => ({ aborted: a.aborted + s.finished.aborted, length: a.length + s.finished.length }), { aborted: 0, length: 0 });

    // The event loop: a 2 ms timer keeps firing while the worker runs the prompt's long first pass.
    await sse(t.app, site, 'warm up the worker and the policy');
    let last = performance.now();
    let worstGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 2);
    const started = performance.now();
    const c = widgetClient(t.app);
    await c.session(site.publicKey);
    const id = await c.conversation();
    const res = await c.request('POST', `/v1/widget/conversations/${id}/messages`, { clientMessageId: 'm-abort-0001', text: 'Tell me everything about your shop' });
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('event: token')) seen += new TextDecoder().decode((await reader.read()).value);
    const firstToken = performance.now() - started;
    clearInterval(timer);
    expect(worstGap).toBeLessThan(Math.max(25, firstToken / 2));

    const before = await stats();
    await reader.cancel();
    await expect.poll(async () => (await stats()).aborted, { timeout: 5000 }).toBe(before.aborted + 1);
    expect((await stats()).length).toBe(before.length);
    // A visitor who left gets no stored half-answer.
    const rows = await t.db.select().from(messages).where(eq(messages.conversationId, id));
    expect(rows.map((m) => m.role)).toEqual(['user']);
  });
});
