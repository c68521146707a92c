/**
 * The shipped base policy: `models/base-policy.rpck` (a checkpoint, tokenizer and prompt settings in its
 * meta) and `models/base-policy.json`, the manifest `npm run train:base` writes beside it. The server
 * installs the checkpoint from it (install-base.ts); the sft-quality benchmark checks its split.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../../runtime/paths.js';

export const BASE_CHECKPOINT_FILE = 'base-policy.rpck';
export const BASE_MANIFEST_FILE = 'base-policy.json';

export const BaseManifest = z.object({
  /** Version name the server installs it under, e.g. base-bitext-v1. */
  name: z.string().min(1),
  /** Checkpoint file beside the manifest. */
  file: z.string().min(1),
  /** sha256 of the checkpoint bytes (the model's artifact id). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  params: z.number().int().positive(),
  /** Ids of the tokenizer in the checkpoint's meta (≤ config.vocabSize embeddings). */
  tokenizerVocabSize: z.number().int().positive(),
  /** The full training config (trainer/base/config.ts). */
  config: z.record(z.string(), z.unknown()),
  /** How the held-out paraphrase groups were chosen (trainer/base/split.ts), incl. their fingerprint. */
  split: z.object({ heldOutSha256: z.string() }).passthrough(),
  steps: z.number().int(),
  firstLoss: z.number(),
  finalLoss: z.number(),
  tokensPerSecond: z.number(),
  seconds: z.number(),
  command: z.string(),
  date: z.string(),
  /** Loss curve (step, loss, lr, tokensPerSecond) every logEvery steps. */
  curve: z.array(z.record(z.string(), z.number())).default([]),
});
export type BaseManifest = z.infer<typeof BaseManifest>;

export interface ShippedBase {
  manifest: BaseManifest;
  checkpointPath: string;
}

/** Reads and validates the manifest in `dir` (default: the repository's models/). */
export function readBaseManifest(dir = projectPath('models')): ShippedBase {
  const file = `${dir}/${BASE_MANIFEST_FILE}`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the base model manifest ${file} (${(err as Error).message}): run npm run train:base, or restore models/ from git`);
  }
  const parsed = BaseManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`base model manifest ${file} is invalid (${issue.path.join('.')}: ${issue.message}): rerun npm run train:base`);
  }
  return { manifest: parsed.data, checkpointPath: `${dir}/${parsed.data.file}` };
}
