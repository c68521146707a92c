/**
 * The one config of `npm run train:base` (cleanRL's `Args`: every field documented and defaulted).
 * Defaults are the shipped checkpoint's: 900 steps of 8 examples (~1.8 epochs of the training split,
 * ~3M tokens), a 2×128 model (2.9 MB checkpoint). Small batches: with a few million tokens to spend,
 * more updates learn more than larger batches.
 */
import { z } from 'zod';

export const BaseConfig = z
  .object({
    /** Optimizer steps (one batch each). */
    steps: z.number().int().min(1).default(900),
    /** Examples per step. */
    batchSize: z.number().int().min(1).max(512).default(8),
    /** Context length of the model; an example is cut to it (prompt first gives way, see PromptFormat). */
    blockSize: z.number().int().min(64).max(4096).default(448),
    /** Tokenizer vocabulary (256 bytes + special tokens + merges), trained on the training split only. */
    vocabSize: z.number().int().min(300).max(65_536).default(2048),
    /** Transformer blocks. Two are the least for copying from context (an induction head needs two). */
    nLayer: z.number().int().min(1).max(48).default(2),
    /** Attention heads per block; must divide nEmbd. */
    nHead: z.number().int().min(1).max(64).default(4),
    /** Width of the residual stream. */
    nEmbd: z.number().int().min(8).max(4096).default(128),
    /** Dropout while training (0: a few epochs over 4k answers do not overfit a model this small). */
    dropout: z.number().min(0).lt(1).default(0),
    /**
     * Knowledge passages in each prompt (also what serving should retrieve: stored in the checkpoint's
     * meta.prompt). A Bitext passage is ~170 tokens and an answer ~155, so a 448-token context holds one;
     * retrieval's top-1 already has the right intent for ~92 % of held-out questions.
     */
    topKPassages: z.number().int().min(0).max(16).default(1),
    /**
     * Share of examples whose own knowledge entry is among the passages, at a random rank. The others see
     * only passages of *other* paraphrase groups (leave-group-out retrieval), as a held-out question
     * does: the model must pick the passage that fits the question and write its intent's answer, not
     * learn "copy passage 1" (which could at best equal retrieval's top-1).
     */
    ownPassageRate: z.number().min(0).max(1).default(0.25),
    /**
     * Longest prompt at serving time (persona + passages + question), leaving the rest of the context
     * for the answer; training prompts get the same room for a typical (~155-token) answer. Stored in
     * meta.prompt.maxPromptTokens.
     */
    maxPromptTokens: z.number().int().min(16).default(288),
    /** Peak learning rate (AdamW). */
    lr: z.number().gt(0).max(1).default(2.5e-3),
    /** Linear warm-up steps, then cosine decay to lr · minLrRatio (nanoGPT). */
    warmupSteps: z.number().int().min(0).default(30),
    minLrRatio: z.number().min(0).max(1).default(0.1),
    /** Decoupled weight decay on weight matrices (AdamW). */
    weightDecay: z.number().min(0).max(1).default(0.1),
    /** Clip the global gradient norm to this value. */
    gradClip: z.number().gt(0).default(1),
    /** Seed of the weights, the batch order and the passage choice: same seed and data, same checkpoint. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /** Print a progress line every this many steps. */
    logEvery: z.number().int().min(1).default(20),
  })
  .strict()
  .refine((c) => c.nEmbd % c.nHead === 0, { message: 'nEmbd must be a multiple of nHead', path: ['nEmbd'] })
  .refine((c) => c.maxPromptTokens < c.blockSize, { message: 'maxPromptTokens must leave room for an answer within blockSize', path: ['maxPromptTokens'] });
export type BaseConfig = z.infer<typeof BaseConfig>;

/**
 * The persona the base is trained and benchmarked with: generic, since a site's SFT teaches its own.
 * Stored in the checkpoint's meta.prompt.
 */
export const BASE_PERSONA =
  'You are the support assistant of an online shop. Answer from the help articles, briefly and politely; ' +
  'when they do not cover the question, say so and offer a human agent.';
