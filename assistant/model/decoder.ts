import * as tf from '@tensorflow/tfjs';
import { cpuNativeKernels } from '../tfjs/host-arrays.js';
import type { Gpt } from './gpt.js';
import type { KvCache } from './kv-cache.js';
import { NativeDecodeState } from './native-decode.js';

export interface DecoderOptions {
  /** Use the KV cache (default true). Without it every step re-runs the whole window: ~40× slower. */
  useCache?: boolean;
  /** Id placed in left padding (masked, so any valid id works). Default 0. */
  padId?: number;
  /**
   * With the cache, run steps on plain arrays through the native addon when the backend is `cpu` and
   * the addon is built (NativeDecodeState: several times faster at batch 1). Default true; false runs
   * every step as tfjs ops (for comparing the two).
   */
  native?: boolean;
}

/**
 * Step-by-step decoding state of B rows advancing in lockstep: "give me the next-token logits", "append
 * these tokens". Rows of different lengths are left-padded to a common length; padding is masked and
 * position ids start at each row's first token (see KvCache), so a row decodes as it would alone.
 *
 * Context window: the model sees at most blockSize tokens, cropped from the left. Without the cache
 * each step runs the last blockSize tokens (nanoGPT). With it, when the cache is full the window is
 * re-prefilled from its last 3/4·blockSize tokens and decoding goes on incrementally — learned
 * positions make a sliding cache impossible, and re-prefilling every step would cost as much as no
 * cache. So past blockSize the two modes see slightly different contexts; below it they agree.
 *
 * Where the backend is `cpu` and the native addon is built, cached steps run on plain arrays
 * (NativeDecodeState, several times faster at batch 1); elsewhere as tfjs ops over a KvCache.
 */
export class Decoder {
  private readonly seqs: number[][];
  private readonly useCache: boolean;
  private readonly padId: number;
  private readonly native: boolean;
  private cache?: KvCache | NativeDecodeState;
  /** Column (of the left-padded matrix) where the cached window starts. */
  private windowStart = 0;

  constructor(
    private readonly model: Gpt,
    prompts: readonly (readonly number[])[],
    options: DecoderOptions = {},
  ) {
    const V = model.config.vocabSize;
    if (prompts.length === 0) throw new Error('no prompts: pass at least one row of token ids');
    prompts.forEach((p, b) => {
      if (p.length === 0) throw new Error(`prompt ${b} is empty: start it with at least one token (e.g. BOS)`);
      const bad = p.find((id) => !Number.isInteger(id) || id < 0 || id >= V);
      if (bad !== undefined) throw new Error(`prompt ${b} has token id ${bad} outside 0..${V - 1}`);
    });
    this.seqs = prompts.map((p) => [...p]);
    this.useCache = options.useCache ?? true;
    this.padId = options.padId ?? 0;
    this.native = options.native ?? true;
  }

  get batch(): number {
    return this.seqs.length;
  }

  /** Appends one token per row. */
  push(tokens: readonly number[]): void {
    if (tokens.length !== this.seqs.length) throw new Error(`${tokens.length} tokens for ${this.seqs.length} rows`);
    tokens.forEach((t, b) => this.seqs[b].push(t));
  }

  /** Logits of the next token of every row, [B·V] row-major. */
  nextLogits(): Float32Array {
    const { blockSize } = this.model.config;
    const width = Math.max(...this.seqs.map((s) => s.length));
    if (!this.useCache) return this.run(width - Math.min(width, blockSize), width, undefined);
    const fed = this.cache ? this.windowStart + this.cache.length : 0;
    if (this.cache && fed === width) throw new Error('nextLogits() twice without push(): append a token per row first');
    if (this.cache && this.cache.length + (width - fed) <= blockSize) return this.run(fed, width, this.cache);
    // First step, or the cache is full: (re-)prefill the window (dropping its oldest quarter when full).
    const keep = this.cache ? blockSize - Math.floor(blockSize / 4) : blockSize;
    this.cache?.dispose();
    this.windowStart = width - Math.min(width, keep);
    const padLeft = this.seqs.map((s) => Math.max(0, width - s.length - this.windowStart));
    const kernels = this.native ? cpuNativeKernels() : null;
    this.cache = kernels
      ? new NativeDecodeState(this.model, kernels, this.seqs.length, padLeft)
      : this.model.createCache(this.seqs.length, padLeft);
    return this.run(this.windowStart, width, this.cache);
  }

  dispose(): void {
    this.cache?.dispose();
    this.cache = undefined;
  }

  /** Runs columns [from, to) of the left-padded matrix and returns the last column's logits. */
  private run(from: number, to: number, cache: KvCache | NativeDecodeState | undefined): Float32Array {
    const B = this.seqs.length;
    const T = to - from;
    const ids = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const pad = to - this.seqs[b].length; // columns of padding before row b's first token
      for (let t = 0; t < T; t++) {
        const col = from + t;
        ids[b * T + t] = col < pad ? this.padId : this.seqs[b][col - pad];
      }
    }
    if (cache instanceof NativeDecodeState) return cache.forward(ids, T); // [B·T] -> [B·V]
    const padLeft = cache ? undefined : this.seqs.map((s) => Math.max(0, to - s.length - from));
    const logits = tf.tidy(() => {
      const idx = tf.tensor2d(ids, [B, T], 'int32');
      const hidden = this.model.trunk.forward(idx, { cache, padLeft }); // [B,T] -> [B,T,C]
      const C = hidden.shape[2];
      const last = hidden.slice([0, T - 1, 0], [B, 1, C]).reshape([B, C]) as tf.Tensor2D; // -> [B,C]
      return this.model.head(last); // [B,C] -> [B,V]
    });
    const data = logits.dataSync() as Float32Array;
    logits.dispose();
    return data;
  }
}
