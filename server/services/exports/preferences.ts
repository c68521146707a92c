import type { PreferenceLine } from '../../../protocol/admin.js';
import type { Db } from '../../db/client.js';
import { assistantTurn } from './prompt.js';
import { withPrompts } from './pages.js';
import { correctedAnswers, decidedComparisons } from './sources.js';

/**
 * Preference pairs in TRL's conversational format `{prompt, chosen, rejected}`: first every
 * side-by-side turn the visitor decided (a or b; the other alternative is rejected), then every staff
 * correction (correction ≻ what the assistant said; skipped when identical).
 */
export async function* exportPreferences({ db, siteId }: { db: Db; siteId: string }): AsyncGenerator<PreferenceLine> {
  yield* withPrompts(db, decidedComparisons(db, siteId), (row, prompt) => {
    const [chosen, rejected] = row.choice === 'a' ? [row.a, row.b] : [row.b, row.a];
    return { prompt, chosen: assistantTurn(chosen.content), rejected: assistantTurn(rejected.content) };
  });
  yield* withPrompts(db, correctedAnswers(db, siteId), (row, prompt) =>
    row.text === row.original ? null : { prompt, chosen: assistantTurn(row.text), rejected: assistantTurn(row.original) },
  );
}
