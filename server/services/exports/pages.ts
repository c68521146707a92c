import type { ChatTurn } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { loadTranscripts, promptBefore } from './prompt.js';

/** Rows read per query: exports stream a page at a time, so memory stays flat on big sites. */
export const PAGE_SIZE = 500;

/**
 * Reads a query page by page with keyset pagination: `fetch(after)` returns up to PAGE_SIZE rows
 * ordered by `key`, strictly after `after` (null: from the start).
 */
export async function* keysetPages<Row, Key>(
  fetch: (after: Key | null) => Promise<Row[]>,
  key: (row: Row) => Key,
): AsyncGenerator<Row[]> {
  let after: Key | null = null;
  for (;;) {
    const rows = await fetch(after);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE_SIZE) return;
    after = key(rows[rows.length - 1]!);
  }
}

/**
 * Turns pages of answer rows into export lines, giving each row the prompt that preceded its answer
 * (one transcript query per page). `toLine` may return null to skip a row; rows with an empty prompt
 * are skipped because a trainer cannot use them.
 */
export async function* withPrompts<Row extends { conversationId: string; seq: number }, Line>(
  db: Db,
  pages: AsyncIterable<Row[]>,
  toLine: (row: Row, prompt: ChatTurn[]) => Line | null,
): AsyncGenerator<Line> {
  for await (const rows of pages) {
    const transcripts = await loadTranscripts(db, [...new Set(rows.map((r) => r.conversationId))]);
    for (const row of rows) {
      const prompt = promptBefore(transcripts.get(row.conversationId) ?? [], row.seq);
      if (prompt.length === 0) continue;
      const line = toLine(row, prompt);
      if (line !== null) yield line;
    }
  }
}
