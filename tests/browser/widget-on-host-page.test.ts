import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparisons, conversations, feedback, flags, messages } from '../../server/db/schema.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { launchChromium } from '../support/browser.js';
import { seedSite } from '../support/fixtures.js';
import { serveFetch, serveHostPage } from '../support/serve.js';

/**
 * The whole slice as a visitor lives it: a shop's page on one origin embeds the snippet pointing at the
 * Rapport server on another origin; the visitor chats in real Chromium, rates, picks, flags — and the
 * rows are in Postgres.
 */
let t: TestApp;
let api: { url: string; close(): Promise<void> };
let host: { url: string; close(): Promise<void> };
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let siteKey = '';

beforeAll(async () => {
  t = await makeTestApp();
  api = await serveFetch(t.app.fetch);
  host = await serveHostPage(
    () => `<!doctype html><html><head><title>Test Shop</title></head><body><h1>Test Shop</h1>
<script>window.Rapport=window.Rapport||function(){(Rapport.q=Rapport.q||[]).push(arguments)};</script>
<script async src="${api.url}/widget.js" data-site-key="${siteKey}"></script></body></html>`,
  );
  // compareRate 1: a question with two relevant answers is shown side by side, one with a single
  // relevant answer falls back to a plain streamed turn.
  const site = await seedSite(t.db, { allowedOrigins: [host.url], compareRate: 1 });
  siteKey = site.publicKey;
  chrome = await launchChromium();
});

afterAll(async () => {
  await chrome?.close();
  await host?.close();
  await api?.close();
  await t?.close();
});

async function ask(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Type your question…' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

describe('widget on a third-party page, in Chromium', () => {
  it('chats, streams, rates down with a reason, picks in a comparison, flags — all stored', async () => {
    const page = await chrome.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const tokenEvents: number[] = [];
    page.on('response', async (res) => {
      if (res.url().endsWith('/messages') && res.headers()['content-type']?.includes('text/event-stream')) {
        tokenEvents.push((await res.text()).split('event: token').length - 1);
      }
    });
    await page.goto(host.url);

    await page.getByRole('button', { name: 'Open chat' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Chat with Test Shop' }).isVisible()).toBe(true);

    // 1. A plain turn, streamed token by token.
    await ask(page, 'I forgot my password');
    const answer = 'Use "Forgot password" on the login page of Test Shop.';
    await page.getByText(answer).waitFor();
    await expect.poll(() => tokenEvents[0]).toBeGreaterThan(3);

    // 2. Thumbs down with a reason.
    await page.getByRole('button', { name: 'Not helpful' }).click();
    await page.getByRole('button', { name: 'Wrong', exact: true }).click();
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.getByText('Thanks for your feedback!').waitFor();

    // 3. A side-by-side turn: pick B.
    await ask(page, 'I want to cancel an order or a purchase');
    await page.getByText('Which answer is better?').waitFor();
    await page.getByRole('button', { name: 'B is better' }).click();
    await page.getByText('Thanks, your vote helps the assistant improve.').waitFor();

    // 4. Ask for a human.
    await page.getByRole('button', { name: 'Talk to a human' }).click();
    await page.getByText('A person from our team will look at this conversation.').waitFor();

    // The rows, once the outbox has delivered them.
    const [conv] = await t.db.select().from(conversations).where(eq(conversations.siteId, (await siteRow()).id));
    await expect.poll(async () => (await t.db.select().from(flags).where(eq(flags.conversationId, conv!.id))).map((f) => f.reason)).toEqual(['wants_human']);
    const stored = await t.db.select().from(messages).where(eq(messages.conversationId, conv!.id)).orderBy(messages.seq);
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(stored[1]!.content).toBe(answer);
    const thumbs = await t.db.select().from(feedback).where(eq(feedback.messageId, stored[1]!.id));
    expect(thumbs.map((f) => [f.rating, f.reasons])).toEqual([['down', ['wrong']]]);
    const [cmp] = await t.db.select().from(comparisons).where(eq(comparisons.messageId, stored[3]!.id));
    expect(cmp!.choice).toBe('b');
    expect(stored[3]!.content).toBe(cmp!.b.content);
    const [after] = await t.db.select().from(conversations).where(eq(conversations.id, conv!.id));
    expect(after!.status).toBe('flagged');
    expect(errors).toEqual([]);

    // 5. A reload resumes the conversation from the server.
    await page.reload();
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByText(answer).waitFor();
    await page.close();
  });

  it('shows nothing on a page whose origin the site does not allow', async () => {
    const page = await chrome.browser.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => warnings.push(m.text()));
    const stranger = await serveHostPage(
      () => `<!doctype html><body><script async src="${api.url}/widget.js" data-site-key="${siteKey}"></script></body>`,
    );
    try {
      await page.goto(stranger.url);
      await expect.poll(() => warnings.some((w) => /origin/i.test(w))).toBe(true);
      expect(await page.getByRole('button', { name: 'Open chat' }).count()).toBe(0);
    } finally {
      await page.close();
      await stranger.close();
    }
  });
});

async function siteRow() {
  const { sites } = await import('../../server/db/schema.js');
  return (await t.db.select().from(sites).where(eq(sites.publicKey, siteKey)))[0]!;
}
