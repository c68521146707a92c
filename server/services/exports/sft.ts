import type { SftLine } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { assistantTurn } from './prompt.js';
import { withPrompts } from './pages.js';
import { correctedAnswers, decidedComparisons, upRatedAnswers } from './sources.js';

/**
 * Supervised fine-tuning lines `{prompt, completion}` (TRL prompt-completion, conversational):
 * staff corrections, then the chosen side of decided comparisons, then answers rated up (each answer
 * once, and not when already present as a correction or a chosen side).
 */
export async function* exportSft({ db, siteId }: { db: Db; siteId: string }): AsyncGenerator<SftLine> {
  yield* withPrompts(db, correctedAnswers(db, siteId), (row, prompt) => ({ prompt, completion: assistantTurn(row.text) }));
  yield* withPrompts(db, decidedComparisons(db, siteId), (row, prompt) => ({
    prompt,
    completion: assistantTurn((row.choice === 'a' ? row.a : row.b).content),
  }));
  yield* withPrompts(db, upRatedAnswers(db, siteId), (row, prompt) => ({ prompt, completion: assistantTurn(row.content) }));
}
