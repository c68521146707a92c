import { asc, eq } from 'drizzle-orm';
import type { AdminMessage, ConversationDetail, CorrectionView, ThumbsView } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { comparisons, corrections, feedbackEvents, flags, messages } from '../../db/schema.js';
import { staffConversation } from './scope.js';

/** Groups rows by a key, keeping their order. */
function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/** Each visitor's current thumbs on one message: their newest event, oldest change first. */
function currentThumbs<E extends { visitorId: string }>(eventsInOrder: E[]): E[] {
  const newest = new Map<string, E>();
  for (const e of eventsInOrder) {
    newest.delete(e.visitorId); // (re-inserted: Map order becomes order of each visitor's newest event)
    newest.set(e.visitorId, e);
  }
  return [...newest.values()];
}

/**
 * Everything staff need to review one conversation: every message in order (failed turns included,
 * marked), comparisons with both alternatives and the choice, current thumbs and their full history,
 * corrections, and the visitor's flags.
 */
export async function getConversation({
  db,
  userId,
  conversationId,
}: {
  db: Db;
  userId: string;
  conversationId: string;
}): Promise<ConversationDetail> {
  const { conversation: c } = await staffConversation(db, userId, conversationId);
  const inConversation = eq(messages.conversationId, c.id);
  const [msgs, comps, history, fixes, flagRows] = await Promise.all([
    db.select().from(messages).where(inConversation).orderBy(asc(messages.seq)),
    db.select().from(comparisons).where(eq(comparisons.conversationId, c.id)),
    db
      .select({ e: feedbackEvents })
      .from(feedbackEvents)
      .innerJoin(messages, eq(messages.id, feedbackEvents.messageId))
      .where(inConversation)
      .orderBy(asc(feedbackEvents.seq)),
    db
      .select({ x: corrections })
      .from(corrections)
      .innerJoin(messages, eq(messages.id, corrections.messageId))
      .where(inConversation)
      .orderBy(asc(corrections.createdAt), asc(corrections.id)),
    db.select().from(flags).where(eq(flags.conversationId, c.id)).orderBy(asc(flags.createdAt), asc(flags.id)),
  ]);
  const comparisonOf = new Map(comps.map((x) => [x.messageId, x]));
  const historyOf = groupBy(history.map((r) => r.e), (e) => e.messageId);
  const thumbsOf = new Map([...historyOf].map(([id, events]) => [id, currentThumbs(events)]));
  const correctionsOf = groupBy(fixes.map((r) => r.x), (x) => x.messageId);

  const thumbsView = (t: { visitorId: string; rating: 'up' | 'down' | null; reasons: string[]; comment: string | null }, at: Date): ThumbsView => ({
    visitorId: t.visitorId,
    rating: t.rating,
    reasons: t.reasons,
    comment: t.comment,
    at: at.toISOString(),
  });
  const correctionView = (x: typeof corrections.$inferSelect): CorrectionView => ({
    id: x.id,
    messageId: x.messageId,
    text: x.text,
    authorId: x.authorId,
    createdAt: x.createdAt.toISOString(),
  });

  const messageViews: AdminMessage[] = msgs.map((m) => {
    const comp = comparisonOf.get(m.id);
    return {
      id: m.id,
      seq: m.seq,
      role: m.role,
      content: m.content,
      replyToId: m.replyToId,
      responder: m.responder,
      modelVersion: m.modelVersion,
      failed: m.failed,
      createdAt: m.createdAt.toISOString(),
      comparison: comp
        ? { id: comp.id, a: comp.a, b: comp.b, choice: comp.choice, chosenAt: comp.chosenAt?.toISOString() ?? null }
        : null,
      thumbs: (thumbsOf.get(m.id) ?? []).map((e) => thumbsView(e, e.createdAt)),
      thumbsHistory: (historyOf.get(m.id) ?? []).map((e) => thumbsView(e, e.createdAt)),
      corrections: (correctionsOf.get(m.id) ?? []).map(correctionView),
    };
  });
  return {
    conversation: {
      id: c.id,
      siteId: c.siteId,
      visitorId: c.visitorId,
      status: c.status,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      resolvedAt: c.resolvedAt?.toISOString() ?? null,
    },
    messages: messageViews,
    flags: flagRows.map((f) => ({
      id: f.id,
      visitorId: f.visitorId,
      reason: f.reason,
      comment: f.comment,
      createdAt: f.createdAt.toISOString(),
    })),
  };
}
