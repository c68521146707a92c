import { z } from 'zod';

/** Bump when the meaning of a saved tokenizer changes (the pre-tokenizer pattern, the id layout). */
export const TOKENIZER_JSON_VERSION = 1;

/**
 * A saved tokenizer, stored next to each model checkpoint: the model's embedding rows are only
 * meaningful with the exact tokenizer it was trained with. Ids: 0–255 bytes, then `specialTokens`
 * in order, then one id per merge in order.
 */
export const TokenizerJson = z.object({
  /** Always 'rapport-byte-bpe': tells this file apart from other JSON stored beside a checkpoint. */
  kind: z.literal('rapport-byte-bpe'),
  /** Format version; `fromJSON` refuses versions it does not know. */
  version: z.literal(TOKENIZER_JSON_VERSION),
  /** 256 + specialTokens.length + merges.length; stored so a reader can size embeddings without decoding the rest. */
  vocabSize: z.number().int().positive(),
  /** Special tokens in id order, starting at id 256. */
  specialTokens: z.array(z.string().min(1)),
  /** Each merge as the [left, right] ids it joins; merge i creates id 256 + specialTokens.length + i. */
  merges: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])),
});
export type TokenizerJson = z.infer<typeof TokenizerJson>;
