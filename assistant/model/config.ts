import { z } from 'zod';

/**
 * Shape of the transformer, nanoGPT's `GPTConfig`. Defaults are the reference model of FACTS.md's speed
 * table (2 layers, d=128, 4 heads, vocab 2048) with a 256-token context, which leaves room for the
 * retrieved knowledge-base passages of a prompt.
 */
export const GptConfigSchema = z
  .object({
    /** Number of token ids the embedding table holds: the tokenizer's vocabulary incl. special tokens. */
    vocabSize: z.number().int().positive().default(2048),
    /** Context length: the most tokens the model attends over (size of the position embedding table). */
    blockSize: z.number().int().positive().default(256),
    /** Number of transformer blocks. */
    nLayer: z.number().int().positive().default(2),
    /** Attention heads per block; must divide nEmbd. */
    nHead: z.number().int().positive().default(4),
    /** Width of the residual stream (C). */
    nEmbd: z.number().int().positive().default(128),
    /** Dropout rate used when training (embeddings, attention weights, residual branches); 0 = none. */
    dropout: z.number().min(0).lt(1).default(0),
  })
  .refine((c) => c.nEmbd % c.nHead === 0, {
    message: 'nEmbd must be a multiple of nHead (headSize = nEmbd / nHead): change nEmbd or nHead',
    path: ['nEmbd'],
  })
  .transform((c) => ({
    ...c,
    /** Width of one attention head (hs = C / nH). Derived, never set. */
    headSize: c.nEmbd / c.nHead,
  }));

/** What a caller writes: every field optional, `headSize` absent. */
export type GptConfigInput = z.input<typeof GptConfigSchema>;
/** A validated config with defaults filled in and `headSize` derived. */
export type GptConfig = z.output<typeof GptConfigSchema>;

/**
 * Validates a config and fills in defaults. Throws with every problem listed, e.g.
 * "GptConfig is invalid: nEmbd: nEmbd must be a multiple of nHead …".
 */
export function gptConfig(input: GptConfigInput = {}): GptConfig {
  const parsed = GptConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new Error(`GptConfig is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
}
