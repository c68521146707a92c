/**
 * Retrieval-augmented training examples for the base policy, assembled afresh for every batch so the
 * passage choice varies across epochs. The layout is the one serving uses (PromptFormat).
 */
import type { PromptFormat } from '../../assistant/prompt/format.js';
import type { KnowledgeIndex } from '../../assistant/retrieval/index.js';
import type { Example } from '../sft/examples.js';
import type { BitextEntry } from './split.js';

/** Candidates retrieved per question before removing its own group (its paraphrases crowd the top). */
const CANDIDATES = 24;

export interface PassagePlan {
  /** Best passages of other paraphrase groups, best first (at most `topK`). */
  others: BitextEntry[];
}

/**
 * For each entry, the top passages of *other* groups: what a held-out question of the same wording sees
 * at test time, since its own group is not in the index then either.
 */
export function planPassages(entries: readonly BitextEntry[], index: KnowledgeIndex, byId: ReadonlyMap<string, BitextEntry>, groupOf: ReadonlyMap<string, string>, topK: number): PassagePlan[] {
  return entries.map((e) => {
    const own = groupOf.get(e.id);
    const others = index
      .top(e.question, CANDIDATES + topK)
      .map((h) => byId.get(h.passage.id)!)
      .filter((p) => groupOf.get(p.id) !== own)
      .slice(0, topK);
    return { others };
  });
}

/**
 * The passages of one example: with probability `ownRate` the entry itself replaces one of the others at
 * a uniformly random rank (so "the fitting passage" is not always first), else only other groups'.
 */
export function choosePassages(entry: BitextEntry, plan: PassagePlan, topK: number, ownRate: number, random: () => number): BitextEntry[] {
  const passages = plan.others.slice(0, topK);
  if (topK > 0 && random() < ownRate) {
    const rank = Math.floor(random() * Math.min(topK, passages.length + 1));
    if (passages.length === topK) passages.splice(rank, 1, entry);
    else passages.splice(rank, 0, entry);
  }
  return passages;
}

export function baseExample(format: PromptFormat, persona: string, entry: BitextEntry, passages: readonly BitextEntry[], blockSize: number): Example {
  return format.example(
    { persona, passages: passages.map((p) => ({ question: p.question, answer: p.answer })), history: [], question: entry.question },
    entry.answer,
    blockSize + 1,
  );
}
