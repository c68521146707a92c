import { z } from 'zod';
import { BYTE_TOKENS } from './bytes.js';
import { learnMerges } from './bpe-train.js';
import { countWords } from './pretokenize.js';
import { DEFAULT_SPECIAL_TOKENS, checkSpecialTokens } from './special-tokens.js';
import { Tokenizer } from './tokenizer.js';

export const TrainOptions = z.object({
  /**
   * Total number of ids: 256 bytes + special tokens + learned merges. Reached exactly unless the
   * corpus runs out of pairs occurring `minFrequency` times; the result's `vocabSize` is then smaller.
   */
  vocabSize: z.number().int().min(BYTE_TOKENS).max(1 << 22),
  /** Control tokens, given ids 256, 257, … in this order. */
  specialTokens: z.array(z.string()).default([...DEFAULT_SPECIAL_TOKENS]),
  /** A pair must occur at least this many times in the corpus to become a merge. */
  minFrequency: z.number().int().min(1).default(2),
});
export type TrainOptions = z.input<typeof TrainOptions>;

/**
 * Learns a byte-level BPE tokenizer from `corpus` (each item a document; merges never cross word
 * boundaries inside it). Deterministic: the same corpus and options give the same tokenizer.
 */
export function train(corpus: Iterable<string>, options: TrainOptions): Tokenizer {
  const parsed = TrainOptions.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`tokenizer training options: ${issue.path.join('.')}: ${issue.message}`);
  }
  const { vocabSize, specialTokens, minFrequency } = parsed.data;
  checkSpecialTokens(specialTokens);
  const firstId = BYTE_TOKENS + specialTokens.length;
  if (vocabSize < firstId) {
    throw new Error(`tokenizer training options: vocabSize ${vocabSize} leaves no room for 256 bytes + ${specialTokens.length} special tokens; use at least ${firstId}`);
  }
  const merges = learnMerges(countWords(corpus), { firstId, maxMerges: vocabSize - firstId, minFrequency });
  return new Tokenizer(merges, specialTokens);
}
