import MiniSearch from 'minisearch';
import { STOPWORDS } from './stopwords.js';

export interface Passage {
  id: string;
  question: string;
  answer: string;
}

export interface Hit {
  passage: Passage;
  /** BM25 score from MiniSearch. */
  score: number;
  /** Share of the query's content words found in the passage's question (0..1). */
  coverage: number;
}

/** Lower-cases, strips punctuation, drops stopwords: the terms both documents and queries are made of. */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => !STOPWORDS.has(t));
}

/**
 * BM25 (MiniSearch) over a site's knowledge questions. Answers are not indexed: visitor questions
 * look like knowledge questions, and answers are long and repetitive ("contact our support"),
 * which would pull every query towards the same few entries.
 */
export class KnowledgeIndex {
  private readonly search: MiniSearch<Passage>;
  private readonly byId = new Map<string, Passage>();

  constructor(passages: Passage[]) {
    this.search = new MiniSearch<Passage>({
      fields: ['question'],
      storeFields: [],
      tokenize: (text) => terms(text),
      processTerm: (term) => term,
      searchOptions: { fuzzy: 0.2, prefix: (term) => term.length > 4, combineWith: 'OR' },
    });
    for (const p of passages) this.byId.set(p.id, p);
    this.search.addAll(passages);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Best `k` passages for `query`, best first. */
  top(query: string, k: number): Hit[] {
    const queryTerms = new Set(terms(query));
    if (queryTerms.size === 0) return [];
    return this.search
      .search(query)
      .slice(0, k)
      .map((r) => ({
        passage: this.byId.get(String(r.id))!,
        score: r.score,
        coverage: Math.min(1, new Set(r.queryTerms).size / queryTerms.size),
      }));
  }
}
