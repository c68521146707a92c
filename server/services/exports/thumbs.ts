import type { ThumbsLine } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { assistantTurn } from './prompt.js';
import { withPrompts } from './pages.js';
import { ratedAnswers } from './sources.js';

/**
 * Thumbs as TRL "unpaired preference" lines `{prompt, completion, label}` (KTO): label true for up,
 * false for down. Current values only: a rating changed or cleared counts as its latest state.
 */
export async function* exportThumbs({ db, siteId }: { db: Db; siteId: string }): AsyncGenerator<ThumbsLine> {
  yield* withPrompts(db, ratedAnswers(db, siteId), (row, prompt) => ({
    prompt,
    completion: assistantTurn(row.content),
    label: row.rating === 'up',
  }));
}
