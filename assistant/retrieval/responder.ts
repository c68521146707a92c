import { fillPlaceholders } from '../placeholders.js';
import type { Draft, Responder, ResponderInput } from '../responder.js';
import { streamText } from '../stream-text.js';
import type { Hit, KnowledgeIndex } from './index.js';

export interface RetrievalOptions {
  /** Version label recorded on every answer (the site's knowledge version). */
  version: string;
  /** Below this BM25 score the best passage is not trusted. */
  minScore: number;
  /** Below this share of the question's content words matched, the best passage is not trusted. */
  minCoverage: number;
}

/** Tuned on held-out Bitext paraphrases vs. BANKING77 (out of scope): see bench/retrieval-threshold.ts. */
export const DEFAULT_RETRIEVAL: Omit<RetrievalOptions, 'version'> = { minScore: 0, minCoverage: 0.5 };

export const OUT_OF_SCOPE =
  "I'm sorry, I don't have an answer to that. Would you like to talk to a person? " +
  'Press **Talk to a human** and someone from our team will get back to you.';

/**
 * Answers with the knowledge base's best-matching answer, placeholders filled. Below the relevance
 * threshold it says it cannot answer and offers a human, rather than answering something unrelated.
 * For comparisons it offers the best and the next-best *different* answer.
 */
export class RetrievalResponder implements Responder {
  constructor(
    private readonly index: KnowledgeIndex,
    private readonly options: RetrievalOptions,
  ) {}

  relevant(hit: Hit | undefined): hit is Hit {
    return !!hit && hit.score >= this.options.minScore && hit.coverage >= this.options.minCoverage;
  }

  async draft(input: ResponderInput, count: 1 | 2): Promise<Draft[]> {
    const hits = this.index.top(input.question, 8).filter((h) => this.relevant(h));
    const answers: string[] = [];
    for (const hit of hits) {
      const text = fillPlaceholders(hit.passage.answer, input.placeholders).trim();
      if (!answers.includes(text)) answers.push(text);
      if (answers.length === count) break;
    }
    if (answers.length === 0) answers.push(OUT_OF_SCOPE);
    return answers.map((text) => ({
      responder: 'retrieval',
      modelVersion: this.options.version,
      tokens: streamText(text, input.signal),
    }));
  }
}
