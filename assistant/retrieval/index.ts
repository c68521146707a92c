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
  /** IDF-weighted share of the query's content words found in the passage's question (0..1). */
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
  /** Document frequency of each question term, for IDF weights. */
  private readonly df = new Map<string, number>();

  constructor(passages: Passage[]) {
    this.search = new MiniSearch<Passage>({
      fields: ['question'],
      storeFields: [],
      tokenize: (text) => terms(text),
      processTerm: (term) => term,
      searchOptions: { fuzzy: 0.2, prefix: (term) => term.length > 4, combineWith: 'OR' },
    });
    for (const p of passages) {
      this.byId.set(p.id, p);
      for (const t of new Set(terms(p.question))) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    this.search.addAll(passages);
  }

  /** BM25's IDF; a term the knowledge base never uses weighs most (it is what the question is about). */
  private idf(term: string): number {
    const n = this.byId.size;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  get size(): number {
    return this.byId.size;
  }

  /** Best `k` passages for `query`, best first. */
  top(query: string, k: number): Hit[] {
    const queryTerms = [...new Set(terms(query))];
    if (queryTerms.length === 0) return [];
    const weights = new Map(queryTerms.map((t) => [t, this.idf(t)]));
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    return this.search
      .search(query)
      .slice(0, k)
      .map((r) => {
        // queryTerms: the query's terms that matched this passage (exactly, by prefix or fuzzily).
        const matched = new Set(r.queryTerms).values();
        let covered = 0;
        for (const t of matched) covered += weights.get(t) ?? 0;
        return { passage: this.byId.get(String(r.id))!, score: r.score, coverage: Math.min(1, covered / total) };
      });
  }
}
