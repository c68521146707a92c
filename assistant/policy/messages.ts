/**
 * What the server's main thread and a generation worker say to each other (worker_threads messages,
 * structured-cloned; checkpoint bytes are transferred, not copied).
 *
 *   main → worker: prepare | generate | abort | stats, and load | load-failed in answer to need-model
 *   worker → main: ready, need-model, prepared | (text* then done) | failed, stats
 */
import type { PromptParts } from '../prompt/format.js';

/** How one answer is sampled. */
export interface Sampling {
  /** Most answer tokens (the end token included). */
  maxNewTokens: number;
  /** 0 = greedy. */
  temperature: number;
  topK?: number;
  topP?: number;
  /** Sampler seed: the same seed, prompt and model give the same answer. Omitted: random. */
  seed?: number;
  /** Logit bonus for continuing a span of the prompt's passages (assistant/model/copy-bias.ts); 0 = off. */
  copyBias?: number;
  /** No n-gram of this many tokens twice in the answer (assistant/model/no-repeat.ts); 0 = off. */
  noRepeatNgram?: number;
}

/** What a loaded policy tells the main thread about itself (read from its checkpoint). */
export interface PolicyInfo {
  /** Passages the policy was trained to read (checkpoint meta `prompt.topKPassages`). */
  topKPassages: number;
  /** Tokens of context it was trained with (prompt + answer). */
  contextTokens: number;
  parameters: number;
}

export type ToWorker =
  | { type: 'generate'; id: number; versionId: string; parts: PromptParts; sampling: Sampling }
  /** Loads the version into the worker's cache and answers `prepared` with what it is. */
  | { type: 'prepare'; id: number; versionId: string }
  /** The bytes a need-model asked for, or why they could not be read. */
  | { type: 'load'; versionId: string; bytes: Uint8Array }
  | { type: 'load-failed'; versionId: string; message: string }
  | { type: 'abort'; id: number }
  | { type: 'stats'; id: number };

export type FinishReason = 'stop' | 'length' | 'aborted';

export type FromWorker =
  | { type: 'ready'; backend: string }
  /** The worker does not hold this version: send its bytes (once, however many requests wait for it). */
  | { type: 'need-model'; versionId: string }
  | { type: 'prepared'; id: number; info: PolicyInfo }
  | { type: 'text'; id: number; text: string }
  | { type: 'done'; id: number; finish: FinishReason; tokens: number; promptTokens: number }
  | { type: 'failed'; id: number; message: string }
  | { type: 'stats'; id: number; numTensors: number; models: string[]; active: number; finished: Record<FinishReason, number> };
