import * as tf from '@tensorflow/tfjs';
import { type GptConfig, type GptConfigInput, gptConfig } from './config.js';
import { crossEntropy } from './cross-entropy.js';
import { KvCache } from './kv-cache.js';
import { ParamStore } from './params.js';
import { type ForwardOptions, GptTrunk } from './trunk.js';

export interface ModelOptions {
  /** Seed of the initial weights: same seed and config, same weights. Omitted: random. */
  seed?: number;
}

export interface GptOutput {
  logits: tf.Tensor3D; // [B,T,V]
  hidden: tf.Tensor3D; // [B,T,C]
}

/**
 * Decoder-only GPT language model (GPT-2 layout, nanoGPT style): the shared trunk plus an LM head tied
 * to the token embedding (logits = hidden · wteᵀ, no bias), GPT-2 init.
 */
export class Gpt {
  readonly kind = 'gpt' as const;
  readonly config: GptConfig;
  readonly trunk: GptTrunk;
  private readonly store: ParamStore;

  constructor(config: GptConfigInput, options: ModelOptions = {}) {
    this.config = gptConfig(config);
    this.store = new ParamStore(options.seed);
    this.trunk = new GptTrunk(this.store, this.config);
  }

  /** ids [B,T] int32 -> logits [B,T,V] and hidden states [B,T,C] (for a value head). */
  forward(idx: tf.Tensor2D, options: ForwardOptions = {}): GptOutput {
    return tf.tidy(() => {
      const hidden = this.trunk.forward(idx, options); // [B,T] -> [B,T,C]
      const [B, T, C] = hidden.shape;
      const logits = this.head(hidden.reshape([B * T, C])); // [B*T,C] -> [B*T,V]
      return { logits: logits.reshape([B, T, this.config.vocabSize]) as tf.Tensor3D, hidden }; // -> [B,T,V]
    });
  }

  /** LM head on hidden states [N,C] -> logits [N,V], weights tied to the token embedding. */
  head(hidden: tf.Tensor2D): tf.Tensor2D {
    return tf.matMul(hidden, this.trunk.wte, false, true); // [N,C] x [V,C]ᵀ -> [N,V]
  }

  /**
   * Mean next-token cross-entropy. `targets[b,t]` is the token that should follow `idx[b,t]` (the
   * caller shifts: targets = ids[1:], as in nanoGPT). With `mask` [B,T] float32 only positions where
   * mask = 1 count (e.g. assistant tokens): Σ mask·ce / max(Σ mask, 1), so an all-zero mask gives 0.
   */
  loss(idx: tf.Tensor2D, targets: tf.Tensor2D, mask?: tf.Tensor2D, options: ForwardOptions = {}): tf.Scalar {
    const [B, T] = idx.shape;
    if (!tf.util.arraysEqual(targets.shape, [B, T])) throw new Error(`targets [${targets.shape}] ≠ ids [${B},${T}]`);
    if (mask && !tf.util.arraysEqual(mask.shape, [B, T])) throw new Error(`mask [${mask.shape}] ≠ ids [${B},${T}]`);
    return tf.tidy(() => {
      const hidden = this.trunk.forward(idx, options); // [B,T] -> [B,T,C]
      const logits = this.head(hidden.reshape([B * T, this.config.nEmbd])); // [B*T,C] -> [B*T,V]
      const ce = crossEntropy(logits, targets.reshape([B * T])); // [B*T,V] -> [B*T]
      if (!mask) return ce.mean() as tf.Scalar;
      const m = mask.reshape([B * T]).cast('float32'); // [B,T] -> [B*T]
      return ce.mul(m).sum().div(m.sum().maximum(1)) as tf.Scalar;
    });
  }

  /** An empty KV cache for incremental decoding of `batch` rows (see KvCache for padLeft). */
  createCache(batch: number, padLeft?: readonly number[]): KvCache {
    return new KvCache(this.config.nLayer, batch, padLeft);
  }

  variables(): tf.Variable[] {
    return this.store.list();
  }

  /** Parameters by stable name ("wte", "h.0.attn.cAttn.w", …), as checkpoints store them. */
  namedVariables(): ReadonlyMap<string, tf.Variable> {
    return this.store.named();
  }

  numParams(): number {
    return this.variables().reduce((n, v) => n + v.size, 0);
  }

  dispose(): void {
    this.trunk.dispose();
    this.store.dispose();
  }
}
