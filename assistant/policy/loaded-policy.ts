/**
 * A policy checkpoint made ready to answer, inside a generation worker: the model, the tokenizer saved
 * in its meta, the prompt layout it was trained with, and how it was trained to be prompted.
 */
import { decodeCheckpoint, Gpt, loadWeights } from '../model/index.js';
import { PromptFormat, type PromptParts } from '../prompt/format.js';
import { Tokenizer } from '../tokenizer/index.js';
import type { PolicyInfo } from './messages.js';

export class LoadedPolicy {
  readonly info: PolicyInfo;
  /** Ids that end an answer: every special token (`<|end|>`, and a model starting a new turn). */
  readonly stops: number[];

  private constructor(
    readonly model: Gpt,
    readonly tokenizer: Tokenizer,
    readonly format: PromptFormat,
    contextTokens: number,
    topKPassages: number,
    /** Longest prompt the policy was trained to read, when its checkpoint says (meta.prompt.maxPromptTokens). */
    private readonly maxPromptTokens: number | undefined,
    /** The persona it was trained with, when its checkpoint says (a shared base's generic one). */
    private readonly persona: string | undefined,
  ) {
    this.info = { topKPassages, contextTokens, parameters: model.numParams() };
    this.stops = tokenizer.specialTokens.map((t) => tokenizer.idOf(t));
  }

  /** Builds the policy from checkpoint bytes; errors say what is wrong with the checkpoint. */
  static fromBytes(bytes: Uint8Array): LoadedPolicy {
    const decoded = decodeCheckpoint(bytes);
    const { header } = decoded;
    if (header.kind !== 'gpt') throw new Error(`checkpoint holds a ${header.kind}, not a policy (gpt): activate a policy version`);
    let tokenizer: Tokenizer;
    try {
      tokenizer = Tokenizer.fromJSON(header.meta.tokenizer);
    } catch (err) {
      throw new Error(`policy checkpoint has no usable tokenizer in its meta (${(err as Error).message}): retrain it with the SFT trainer`);
    }
    const format = new PromptFormat(tokenizer);
    const model = new Gpt(header.config);
    try {
      loadWeights(model, decoded);
      if (tokenizer.vocabSize > model.config.vocabSize) {
        throw new Error(`policy has ${model.config.vocabSize} embeddings but its tokenizer ${tokenizer.vocabSize} ids: the checkpoint is inconsistent, retrain it`);
      }
    } catch (err) {
      model.dispose();
      throw err;
    }
    // Written by the SFT trainer ({topKPassages, blockSize}) and the base trainer (+ maxPromptTokens, persona).
    const prompt = (header.meta.prompt ?? {}) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
    const context = Math.min(num(prompt.blockSize) ?? model.config.blockSize, model.config.blockSize);
    const topK = typeof prompt.topKPassages === 'number' ? prompt.topKPassages : 3;
    const maxPrompt = num(prompt.maxPromptTokens);
    const persona = typeof prompt.persona === 'string' ? prompt.persona : undefined;
    return new LoadedPolicy(model, tokenizer, format, context, topK, maxPrompt && Math.min(maxPrompt, context - 1), persona);
  }

  /**
   * Prompt ids for `parts` and how many tokens may follow. The prompt budget is the checkpoint's
   * maxPromptTokens when it has one; otherwise the answer gets `maxNewTokens` of the trained context
   * but never more than half of it (as in SFT: the answer keeps at least half) and the prompt the rest.
   * PromptFormat shrinks the prompt to its budget (oldest turns, then lowest passages go first). A
   * checkpoint that names its persona is prompted with it: a small model knows only the one it saw.
   */
  prompt(parts: PromptParts, maxNewTokens: number): { ids: number[]; maxNewTokens: number } {
    const context = this.info.contextTokens;
    const budget = this.maxPromptTokens ?? context - Math.min(maxNewTokens, Math.floor(context / 2));
    const ids = this.format.prompt(this.persona === undefined ? parts : { ...parts, persona: this.persona }, budget);
    return { ids, maxNewTokens: Math.max(1, Math.min(maxNewTokens, context - ids.length)) };
  }

  dispose(): void {
    this.model.dispose();
  }
}
