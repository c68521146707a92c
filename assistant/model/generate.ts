import type { LogitsProcessor } from './copy-bias.js';
import { Decoder, type DecoderOptions } from './decoder.js';
import type { Gpt } from './gpt.js';
import { checkSampleOptions, type SampleOptions, sampleToken, seededRandom } from './sampling.js';

export type FinishReason = 'stop' | 'length';

export interface GenerateOptions extends SampleOptions, DecoderOptions {
  /** Most tokens to generate per row (the stop token counts). */
  maxNewTokens: number;
  /** Token id(s) that end a row, e.g. the end-of-answer token. */
  stop?: number | readonly number[];
  /** Seed of the sampler (not of the model): same seed, same samples. Omitted: Math.random. */
  seed?: number;
  /** Per row (generateStream: row 0), applied to the logits before sampling, e.g. a copy bias. */
  logitsProcessors?: readonly (LogitsProcessor | undefined)[];
}

export interface GenerateResult {
  /** New tokens per row; a row ended by a stop token includes it (PPO scores and trains on it). */
  tokens: number[][];
  finish: FinishReason[];
}

function prepare(options: GenerateOptions): { stops: Set<number>; random: () => number } {
  checkSampleOptions(options);
  if (!Number.isInteger(options.maxNewTokens) || options.maxNewTokens < 1) {
    throw new Error(`maxNewTokens ${options.maxNewTokens}: ask for at least 1 token`);
  }
  const stop = options.stop;
  const stops = new Set(stop === undefined ? [] : typeof stop === 'number' ? [stop] : stop);
  return { stops, random: options.seed === undefined ? Math.random : seededRandom(options.seed) };
}

/**
 * Generates continuations of B prompts at once (RL rollouts). Prompts may differ in length: they are
 * left-padded internally and each row decodes as it would alone. Synchronous: run it in a worker or a
 * sandboxed processor, not on a server's event loop (use generateStream there).
 */
export function generate(
  model: Gpt,
  prompts: readonly (readonly number[])[],
  options: GenerateOptions,
): GenerateResult {
  const { stops, random } = prepare(options);
  const V = model.config.vocabSize;
  const decoder = new Decoder(model, prompts, options);
  const B = decoder.batch;
  const tokens: number[][] = Array.from({ length: B }, () => []);
  const finish: FinishReason[] = new Array<FinishReason>(B).fill('length');
  const done = new Array<boolean>(B).fill(false);
  try {
    for (let step = 0; step < options.maxNewTokens; step++) {
      const logits = decoder.nextLogits(); // [B·V]
      const next = tokens.map((row, b) => {
        if (done[b]) return options.padId ?? 0; // finished rows idle along; rows never interact
        const rowLogits = logits.subarray(b * V, (b + 1) * V);
        options.logitsProcessors?.[b]?.(row, rowLogits);
        const id = sampleToken(rowLogits, options, random);
        row.push(id);
        if (stops.has(id)) {
          done[b] = true;
          finish[b] = 'stop';
        }
        return id;
      });
      if (done.every(Boolean)) break;
      decoder.push(next);
    }
  } finally {
    decoder.dispose();
  }
  return { tokens, finish };
}

export interface StreamOptions extends GenerateOptions {
  /** Stops generation between tokens (e.g. the visitor closed the SSE stream). */
  signal?: AbortSignal;
}

/**
 * Streams one continuation token by token. The stop token is not yielded; the generator's return
 * value says why it ended. Between tokens it yields to the event loop (setImmediate, not
 * tf.nextFrame) so a server can flush each token and notice an abort. Breaking out of the loop frees
 * the KV cache.
 */
export async function* generateStream(
  model: Gpt,
  prompt: readonly number[],
  options: StreamOptions,
): AsyncGenerator<number, FinishReason | 'aborted', void> {
  const { stops, random } = prepare(options);
  const decoder = new Decoder(model, [prompt], options);
  const processor = options.logitsProcessors?.[0];
  const generated: number[] = [];
  try {
    for (let step = 0; step < options.maxNewTokens; step++) {
      if (options.signal?.aborted) return 'aborted';
      const logits = decoder.nextLogits();
      processor?.(generated, logits);
      const id = sampleToken(logits, options, random);
      if (stops.has(id)) return 'stop';
      generated.push(id);
      yield id;
      decoder.push([id]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return 'length';
  } finally {
    decoder.dispose();
  }
}
