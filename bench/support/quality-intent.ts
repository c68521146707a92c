/**
 * Which intent a piece of answer text belongs to, for the sft-quality benchmark: the intent of the
 * training entry whose ANSWER is nearest by BM25 (MiniSearch over answers, the retrieval index's terms).
 * A generated answer "belongs to the right intent" when that entry has the question's gold intent.
 */
import MiniSearch from 'minisearch';
import { terms } from '../../assistant/retrieval/index.js';

export interface IntentEntry {
  id: string;
  answer: string;
  intent: string;
}

export class AnswerIntentIndex {
  private readonly search: MiniSearch<IntentEntry>;
  private readonly intentOf = new Map<string, string>();

  constructor(entries: readonly IntentEntry[]) {
    this.search = new MiniSearch<IntentEntry>({ fields: ['answer'], storeFields: [], tokenize: terms, processTerm: (t) => t });
    for (const e of entries) this.intentOf.set(e.id, e.intent);
    this.search.addAll(entries);
  }

  /** Intent of the nearest answer, or null when the text shares no term with any answer. */
  intentOfText(text: string): string | null {
    const [best] = this.search.search(text, { combineWith: 'OR' });
    return best ? this.intentOf.get(String(best.id))! : null;
  }
}
