import { and, asc, eq, gt, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Alternative } from '../../db/schema.js';
import type { Db } from '../../db/client.js';
import { comparisons, corrections, feedback, messages } from '../../db/schema.js';
import { keysetPages, PAGE_SIZE } from './pages.js';

/**
 * The feedback rows each export reads, page by page, in a stable order (message seq first, so lines
 * of one conversation stay together). Every query is scoped to one site and skips failed turns,
 * which were never shown to the visitor.
 */

const answerOf = (siteId: string) => and(eq(messages.siteId, siteId), eq(messages.role, 'assistant'), eq(messages.failed, false));
const tupleAfter = (a: SQL, b: SQL) => sql`(${a}) > (${b})`;

export interface DecidedComparison {
  conversationId: string;
  seq: number;
  a: Alternative;
  b: Alternative;
  choice: 'a' | 'b';
}

/** Side-by-side turns where the visitor picked a or b (tie and both-bad give no pair). */
export function decidedComparisons(db: Db, siteId: string): AsyncGenerator<DecidedComparison[]> {
  return keysetPages(
    async (after: number | null) =>
      (await db
        .select({ conversationId: messages.conversationId, seq: messages.seq, a: comparisons.a, b: comparisons.b, choice: comparisons.choice })
        .from(comparisons)
        .innerJoin(messages, eq(messages.id, comparisons.messageId))
        .where(and(eq(comparisons.siteId, siteId), answerOf(siteId), inArray(comparisons.choice, ['a', 'b']), after === null ? undefined : gt(messages.seq, after)))
        .orderBy(asc(messages.seq))
        .limit(PAGE_SIZE)) as DecidedComparison[],
    (r) => r.seq,
  );
}

export interface CorrectedAnswer {
  conversationId: string;
  seq: number;
  id: string;
  /** The staff member's answer. */
  text: string;
  /** What the assistant said. */
  original: string;
}

/** Staff corrections with the answers they correct. */
export function correctedAnswers(db: Db, siteId: string): AsyncGenerator<CorrectedAnswer[]> {
  return keysetPages(
    (after: { seq: number; id: string } | null) =>
      db
        .select({
          conversationId: messages.conversationId,
          seq: messages.seq,
          id: corrections.id,
          text: corrections.text,
          original: messages.content,
        })
        .from(corrections)
        .innerJoin(messages, eq(messages.id, corrections.messageId))
        .where(
          and(
            eq(corrections.siteId, siteId),
            answerOf(siteId),
            after === null ? undefined : tupleAfter(sql`${messages.seq}, ${corrections.id}`, sql`${after.seq}, ${after.id}::uuid`),
          ),
        )
        .orderBy(asc(messages.seq), asc(corrections.id))
        .limit(PAGE_SIZE),
    (r) => ({ seq: r.seq, id: r.id }),
  );
}

export interface RatedAnswer {
  conversationId: string;
  seq: number;
  visitorId: string;
  rating: 'up' | 'down';
  content: string;
}

/** Current thumbs (the latest value per visitor and answer; cleared ratings are left out). */
export function ratedAnswers(db: Db, siteId: string): AsyncGenerator<RatedAnswer[]> {
  return keysetPages(
    async (after: { seq: number; visitorId: string } | null) =>
      (await db
        .select({
          conversationId: messages.conversationId,
          seq: messages.seq,
          visitorId: feedback.visitorId,
          rating: feedback.rating,
          content: messages.content,
        })
        .from(feedback)
        .innerJoin(messages, eq(messages.id, feedback.messageId))
        .where(
          and(
            eq(feedback.siteId, siteId),
            answerOf(siteId),
            isNotNull(feedback.rating),
            after === null
              ? undefined
              : tupleAfter(sql`${messages.seq}, ${feedback.visitorId}`, sql`${after.seq}, ${after.visitorId}::uuid`),
          ),
        )
        .orderBy(asc(messages.seq), asc(feedback.visitorId))
        .limit(PAGE_SIZE)) as RatedAnswer[],
    (r) => ({ seq: r.seq, visitorId: r.visitorId }),
  );
}

export interface ApprovedAnswer {
  conversationId: string;
  seq: number;
  content: string;
}

/**
 * Answers some visitor currently rates up, once each — except ones already in the SFT set another
 * way: corrected answers (the correction supersedes them) and decided comparisons (the chosen text is
 * exported as such).
 */
export function upRatedAnswers(db: Db, siteId: string): AsyncGenerator<ApprovedAnswer[]> {
  return keysetPages(
    (after: number | null) =>
      db
        .select({ conversationId: messages.conversationId, seq: messages.seq, content: messages.content })
        .from(messages)
        .where(
          and(
            answerOf(siteId),
            // Per answer, a probe of feedback_events_message_idx (the view folds into this query).
            sql`${messages.id} in (select ${feedback.messageId} from ${feedback} where ${feedback.siteId} = ${siteId} and ${feedback.rating} = 'up')`,
            sql`not exists (select 1 from ${corrections} where ${corrections.messageId} = ${messages.id})`,
            sql`not exists (select 1 from ${comparisons} where ${comparisons.messageId} = ${messages.id} and ${comparisons.choice} in ('a', 'b'))`,
            after === null ? undefined : gt(messages.seq, after),
          ),
        )
        .orderBy(asc(messages.seq))
        .limit(PAGE_SIZE),
    (r) => r.seq,
  );
}
