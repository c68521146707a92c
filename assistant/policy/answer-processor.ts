/**
 * How a served answer is steered while it is decoded: the copy bias toward the retrieved passages'
 * answers (each ending in `<|end|>`, so a finished copy favours ending) and the no-repeat n-gram block.
 * One place, used by the generation worker and by bench/sft-quality, so the benchmark measures what
 * visitors get.
 */
import { chainProcessors, copyBias, type LogitsProcessor, noRepeatNgram } from '../model/index.js';
import type { Passage } from '../prompt/format.js';
import type { Tokenizer } from '../tokenizer/index.js';

export interface AnswerSteering {
  /** Logit bonus for continuing a passage span; 0 or absent = off. */
  copyBias?: number;
  /** Tokens a copy must match first (copyBias's default when absent). */
  copyMatch?: number;
  /** No n-gram of this many tokens twice in the answer; 0 or absent = off. */
  noRepeatNgram?: number;
}

export function answerProcessor(
  { tokenizer, endId, passages }: { tokenizer: Tokenizer; endId: number; passages: readonly Passage[] },
  { copyBias: bias, copyMatch, noRepeatNgram: n }: AnswerSteering,
): LogitsProcessor | undefined {
  return chainProcessors(
    bias ? copyBias(passages.map((p) => [...tokenizer.encode(p.answer), endId]), { bias, minMatch: copyMatch }) : undefined,
    n ? noRepeatNgram(n) : undefined,
  );
}
