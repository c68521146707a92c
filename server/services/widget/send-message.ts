import { randomUUID } from 'node:crypto';
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Turn as HistoryTurn } from '../../../assistant/responder.js';
import type { StreamEvent } from '../../../protocol/events.js';
import type { Message, SendMessageRequest } from '../../../protocol/widget.js';
import type { AppDeps } from '../../deps.js';
import { comparisons, conversations, messages } from '../../db/schema.js';
import { ownConversation, type Visitor } from './conversations.js';
import { storeReply, type ReplyDraft } from './store-reply.js';
import { siteCache } from './site-cache.js';
import { messageView } from './views.js';

/** How many earlier messages a responder sees. */
const HISTORY_LIMIT = 20;

export interface Turn {
  /** The stored visitor message (stored once, however often it is sent). */
  userMessage: Message;
  /** Id the reply has (or will have once written). */
  replyId: string;
  /** The reply as events: `token`* or `compare`, then `done`; or `error`. Stops early on `signal`. */
  events(signal?: AbortSignal): AsyncGenerator<StreamEvent>;
}

/**
 * A visitor sent a message. Stores it idempotently on (conversation, clientMessageId) before anything
 * else, so it is never lost, then returns the reply as a stream of events. A resend of a message that
 * already has a reply replays that reply instead of writing a second one.
 */
export async function startTurn({
  deps,
  visitor,
  conversationId,
  input,
}: {
  deps: AppDeps;
  visitor: Visitor;
  conversationId: string;
  input: SendMessageRequest;
}): Promise<Turn> {
  const { db } = deps;
  await ownConversation(db, visitor, conversationId);
  const [inserted] = await db
    .insert(messages)
    .values({
      siteId: visitor.siteId,
      conversationId,
      role: 'user',
      content: input.text,
      clientMessageId: input.clientMessageId,
    })
    .onConflictDoNothing({ target: [messages.conversationId, messages.clientMessageId] })
    .returning();
  const user =
    inserted ??
    (
      await db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.clientMessageId, input.clientMessageId)))
    )[0]!;
  if (inserted) {
    await db.update(conversations).set({ updatedAt: sql`now()` }).where(eq(conversations.id, conversationId));
  }
  const existing = await findReply(deps, user.id);
  const userMessage = messageView(user);
  if (existing) {
    return { userMessage, replyId: existing.id, events: () => replay(existing) };
  }
  const replyId = randomUUID();
  return {
    userMessage,
    replyId,
    events: (signal) => generate({ deps, visitor, conversationId, user, replyId, signal }),
  };
}

async function findReply(deps: AppDeps, userMessageId: string): Promise<Message | null> {
  const [row] = await deps.db
    .select({ message: messages, comparison: comparisons })
    .from(messages)
    .leftJoin(comparisons, eq(comparisons.messageId, messages.id))
    .where(eq(messages.replyToId, userMessageId))
    .limit(1);
  return row ? messageView(row.message, row.comparison) : null;
}

async function* replay(reply: Message): AsyncGenerator<StreamEvent> {
  if (reply.comparison) yield { event: 'compare', data: { messageId: reply.id, comparison: reply.comparison } };
  else yield { event: 'token', data: { messageId: reply.id, text: reply.content } };
  yield { event: 'done', data: { message: reply } };
}

async function* generate({
  deps,
  visitor,
  conversationId,
  user,
  replyId,
  signal,
}: {
  deps: AppDeps;
  visitor: Visitor;
  conversationId: string;
  user: typeof messages.$inferSelect;
  replyId: string;
  signal?: AbortSignal;
}): AsyncGenerator<StreamEvent> {
  const site = await siteCache(deps.db).byIdentifier(visitor.siteId);
  if (!site) throw new Error(`site ${visitor.siteId} vanished during a turn`);
  const earlier = await deps.db
    .select({ role: messages.role, content: messages.content })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), lt(messages.seq, user.seq), eq(messages.failed, false)))
    .orderBy(asc(messages.seq));
  const history: HistoryTurn[] = earlier.slice(-HISTORY_LIMIT);
  const responder = await deps.assistant.responderFor(site);
  const wantsComparison = site.compareRate > 0 && Math.random() < site.compareRate;
  const drafts = await responder.draft(
    { persona: site.persona, placeholders: site.placeholders, history, question: user.content, signal },
    wantsComparison ? 2 : 1,
  );

  if (drafts.length === 2) {
    // Side by side: both answers are written in full first, then shown at random positions.
    const written: ReplyDraft[] = await Promise.all(
      drafts.map(async (d) => ({ responder: d.responder, modelVersion: d.modelVersion, content: await collect(d.tokens) })),
    );
    if (signal?.aborted) return;
    if (Math.random() < 0.5) written.reverse();
    const reply = await storeReply({ deps, visitor, conversationId, userMessageId: user.id, replyId, drafts: written });
    if (reply.comparison) yield { event: 'compare', data: { messageId: reply.id, comparison: reply.comparison } };
    yield { event: 'done', data: { message: reply } };
    return;
  }

  const [draft] = drafts;
  let content = '';
  for await (const text of draft!.tokens) {
    content += text;
    yield { event: 'token', data: { messageId: replyId, text } };
  }
  // A visitor who left gets no stored half-answer; resending the same message writes it afresh.
  if (signal?.aborted) return;
  const reply = await storeReply({
    deps,
    visitor,
    conversationId,
    userMessageId: user.id,
    replyId,
    drafts: [{ responder: draft!.responder, modelVersion: draft!.modelVersion, content }],
  });
  yield { event: 'done', data: { message: reply } };
}

async function collect(tokens: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const t of tokens) text += t;
  return text;
}
