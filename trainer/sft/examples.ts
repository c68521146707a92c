/**
 * SFT examples: what the assistant should answer to which prompt, tokenized in the one prompt layout
 * serving uses (assistant/prompt/format.ts), with the loss mask on the answer only.
 */
import type { ChatTurn, SftLine } from '../../protocol/admin.js';
import type { PromptFormat } from '../../assistant/prompt/format.js';
import type { Turn } from '../../assistant/responder.js';
import type { KnowledgeIndex, Passage } from '../../assistant/retrieval/index.js';

/** One thing to learn: the visitor's question (with earlier turns) and the answer to give. */
export interface SftSource {
  question: string;
  history: Turn[];
  answer: string;
}

/** A tokenized example: `ids` = prompt + answer (+ `<|end|>`), `mask` 1 on answer tokens. */
export interface Example {
  ids: number[];
  mask: number[];
}

/** Each knowledge entry teaches its own answer to its own question. */
export function fromKnowledge(entries: readonly Passage[]): SftSource[] {
  return entries.map((e) => ({ question: e.question, history: [], answer: e.answer }));
}

/**
 * An exported SFT line (exportSft: corrections, chosen comparison sides, up-rated answers). The last
 * visitor turn of the prompt is the question and everything before it the history; turns after it
 * (rare: an earlier assistant reply to the same message) have no place in the layout and are dropped.
 * Null when there is no visitor turn or no answer text.
 */
export function fromSftLine(line: SftLine): SftSource | null {
  const answer = line.completion.map((t) => t.content).join('\n').trim();
  const last = findLastIndex(line.prompt, (t) => t.role === 'user');
  if (last < 0 || answer === '') return null;
  return {
    question: line.prompt[last]!.content,
    history: line.prompt.slice(0, last).map((t) => ({ role: t.role, content: t.content })),
    answer,
  };
}

export interface BuildOptions {
  format: PromptFormat;
  /** The site's knowledge, to retrieve passages from (the same index serving uses). */
  index: KnowledgeIndex;
  persona: string;
  topKPassages: number;
  /** Context length of the model: an example has at most blockSize + 1 tokens (inputs are ids[:-1]). */
  blockSize: number;
}

/**
 * Tokenizes sources into examples. Every prompt gets the top-k passages retrieved for its question,
 * including the entry the answer came from when it ranks: nothing is excluded, because what a small
 * model learns best is to copy the relevant passage (DESIGN.md, "Base + SFT"). Examples left with no
 * answer token to learn from (the budget cut it all) are dropped.
 */
export function buildExamples(sources: readonly SftSource[], o: BuildOptions): Example[] {
  const out: Example[] = [];
  for (const s of sources) {
    const passages = o.topKPassages > 0 ? o.index.top(s.question, o.topKPassages).map((h) => ({ question: h.passage.question, answer: h.passage.answer })) : [];
    const max = o.blockSize + 1;
    // At most blockSize + 1 tokens (PromptFormat keeps to its budget, or throws when it is too small).
    const ex = o.format.example({ persona: o.persona, passages, history: s.history, question: s.question }, s.answer, max);
    // The first token is never a target, so at least one answer token must sit at position ≥ 1.
    if (ex.ids.length >= 2 && ex.mask.indexOf(1, 1) !== -1) out.push(ex);
  }
  return out;
}

/** The texts a fresh tokenizer is trained on: what the model will read and write. */
export function corpusOf(sources: readonly SftSource[], persona: string): string[] {
  const texts = [persona];
  for (const s of sources) texts.push(s.question, s.answer, ...s.history.map((t) => t.content));
  return texts;
}

function findLastIndex(turns: readonly ChatTurn[], match: (t: ChatTurn) => boolean): number {
  for (let i = turns.length - 1; i >= 0; i--) if (match(turns[i]!)) return i;
  return -1;
}
