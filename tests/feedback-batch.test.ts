import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedback, feedbackEvents } from '../server/db/schema.js';
import { makeTestApp, type TestApp } from './support/app.js';
import { seedSite } from './support/fixtures.js';
import { widgetClient } from './support/widget-client.js';
import { writeBatch, type FeedbackItem } from '../server/services/widget/feedback-batcher.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

describe('writeBatch', () => {
  it("answers every item in order: a repeat in the same batch shares the first one's fate", async () => {
    const site = await seedSite(t.db);
    const c = widgetClient(t.app);
    const { visitorId } = await c.session(site.publicKey);
    const { messages } = await c.ask(await c.conversation(), 'how do I cancel my order');
    const [question, answer] = messages;
    const item = (clientEventId: string, messageId: string, rating: 'up' | 'down'): FeedbackItem => ({
      siteId: site.id,
      visitorId,
      messageId,
      clientEventId,
      rating,
      reasons: [],
      comment: null,
    });
    const outcomes = await writeBatch(t.sql, [
      item('evt-wb-1', answer!.id, 'down'),
      item('evt-wb-2', question!.id, 'up'), // the visitor's own message, not an answer
      item('evt-wb-1', answer!.id, 'down'),
      item('evt-wb-2', question!.id, 'up'),
      item('evt-wb-3', answer!.id, 'up'),
    ]);
    expect(outcomes).toEqual(['stored', 'not_found', 'duplicate', 'not_found', 'stored']);
    const history = await t.db.select().from(feedbackEvents).where(eq(feedbackEvents.visitorId, visitorId)).orderBy(feedbackEvents.seq);
    expect(history.map((e) => e.clientEventId)).toEqual(['evt-wb-1', 'evt-wb-3']);
    // The newest event is the current value; a later batch resending both is all duplicates.
    expect((await t.db.select().from(feedback).where(eq(feedback.messageId, answer!.id))).map((f) => f.rating)).toEqual(['up']);
    expect(await writeBatch(t.sql, [item('evt-wb-3', answer!.id, 'up'), item('evt-wb-1', answer!.id, 'down')])).toEqual(['duplicate', 'duplicate']);
  });
});
