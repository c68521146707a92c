import { asc, inArray } from 'drizzle-orm';
import type { ChatTurn } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { messages } from '../../db/schema.js';

export interface TranscriptRow {
  seq: number;
  role: 'user' | 'assistant' | 'staff';
  content: string;
  failed: boolean;
}

/** Whole transcripts (ordered by seq) of the given conversations, keyed by conversation id. */
export async function loadTranscripts(db: Db, conversationIds: string[]): Promise<Map<string, TranscriptRow[]>> {
  const out = new Map<string, TranscriptRow[]>();
  if (conversationIds.length === 0) return out;
  const rows = await db
    .select({
      conversationId: messages.conversationId,
      seq: messages.seq,
      role: messages.role,
      content: messages.content,
      failed: messages.failed,
    })
    .from(messages)
    .where(inArray(messages.conversationId, conversationIds))
    .orderBy(asc(messages.conversationId), asc(messages.seq));
  for (const { conversationId, ...row } of rows) {
    const list = out.get(conversationId);
    if (list) list.push(row);
    else out.set(conversationId, [row]);
  }
  return out;
}

/**
 * The prompt of the answer at `seq`: every earlier message the visitor saw, as chat turns (TRL's
 * conversational format). Failed turns were never shown and are left out. Staff replies become
 * `assistant` turns: chat templates know only user/assistant/system, and to the visitor they were the
 * site answering.
 */
export function promptBefore(transcript: readonly TranscriptRow[], seq: number): ChatTurn[] {
  return transcript
    .filter((m) => m.seq < seq && !m.failed)
    .map((m) => ({ role: m.role === 'user' ? 'user' : 'assistant', content: m.content }));
}

/** One assistant turn, the completion side of a line. */
export const assistantTurn = (content: string): ChatTurn[] => [{ role: 'assistant', content }];
