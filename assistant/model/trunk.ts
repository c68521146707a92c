import * as tf from '@tensorflow/tfjs';
import { Block } from './block.js';
import type { GptConfig } from './config.js';
import type { KvCache } from './kv-cache.js';
import { LayerNorm } from './layer-norm.js';
import type { ParamStore } from './params.js';

/** Large and finite: exp(-1e9 - max) is exactly 0 in float32, and a fully masked row gives no NaN. */
export const MASKED = -1e9;

export interface ForwardOptions {
  /** K/V of the earlier positions; this forward's positions are appended to it. */
  cache?: KvCache;
  /**
   * Left padding per row (ignored when a cache is given: the cache's own padLeft is used). Row b's
   * first padLeft[b] positions are masked out of attention and its position ids start at its first
   * real token, so a left-padded row gives the same outputs as the row alone.
   */
  padLeft?: readonly number[];
  /** Apply dropout. Default false (evaluation, generation). */
  training?: boolean;
}

/**
 * The shared trunk of the policy, the value head and the reward model: token + learned position
 * embeddings, nLayer pre-LN blocks, final LayerNorm. Maps ids [B,T] to hidden states [B,T,C].
 */
export class GptTrunk {
  readonly wte: tf.Variable; // [V,C], tied with the LM head
  readonly wpe: tf.Variable; // [blockSize,C]
  readonly blocks: Block[];
  readonly lnF: LayerNorm;
  /** [blockSize,blockSize]: 0 on and below the diagonal, MASKED above. Owned; freed by dispose(). */
  private readonly causalBias: tf.Tensor2D;

  constructor(
    store: ParamStore,
    readonly config: GptConfig,
  ) {
    const { vocabSize: V, blockSize, nEmbd: C, nLayer } = config;
    this.wte = store.normal('wte', [V, C], 0.02);
    this.wpe = store.normal('wpe', [blockSize, C], 0.02);
    this.blocks = Array.from({ length: nLayer }, (_, i) => new Block(store, i, config));
    this.lnF = new LayerNorm(store, 'lnF', C);
    const bias = new Float32Array(blockSize * blockSize);
    for (let i = 0; i < blockSize; i++) bias.fill(MASKED, i * blockSize + i + 1, (i + 1) * blockSize);
    this.causalBias = tf.tensor2d(bias, [blockSize, blockSize]);
  }

  /** ids [B,T] int32 -> hidden states [B,T,C] (after the final LayerNorm). */
  forward(idx: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    const { cache, training = false } = options;
    const [B, T] = idx.shape;
    const { nEmbd: C, blockSize, dropout } = this.config;
    const offset = cache?.length ?? 0;
    const padLeft = cache ? cache.padLeft : options.padLeft;
    if (idx.dtype !== 'int32') throw new Error(`token ids are ${idx.dtype}: pass an int32 tensor`);
    if (offset + T > blockSize) {
      throw new Error(
        `${offset + T} positions exceed blockSize ${blockSize}: crop the context from the left (generate() does)`,
      );
    }
    if (cache && cache.batch !== B) throw new Error(`cache holds ${cache.batch} rows but the input has ${B}`);
    if (padLeft && padLeft.length !== B) throw new Error(`padLeft has ${padLeft.length} entries for ${B} rows`);
    const padded = padLeft?.some((p) => p > 0) ? padLeft : undefined;

    return tf.tidy(() => {
      const tok = tf.gather(this.wte, idx.reshape([B * T])).reshape([B, T, C]); // [B,T] -> [B,T,C]
      const pos = this.positionEmbeddings(B, T, offset, padded); // [T,C] or [B,T,C]
      let x = tok.add(pos) as tf.Tensor3D; // [B,T,C]
      if (training && dropout > 0) x = tf.dropout(x, dropout) as tf.Tensor3D;
      const bias = this.attentionBias(B, T, offset, padded); // [T,Tk] or [B,1,T,Tk]
      for (const block of this.blocks) x = block.forward(x, { bias, cache, training });
      cache?.advance(T);
      return this.lnF.forward(x); // [B,T,C]
    });
  }

  dispose(): void {
    this.causalBias.dispose();
  }

  private positionEmbeddings(B: number, T: number, offset: number, padLeft?: readonly number[]): tf.Tensor {
    const C = this.config.nEmbd;
    // Without padding a slice suffices, and its gradient is a cheap pad (a gather's is a segment sum).
    if (!padLeft) return this.wpe.slice([offset, 0], [T, C]); // [blockSize,C] -> [T,C]
    const pos = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) pos[b * T + t] = Math.max(0, offset + t - padLeft[b]);
    }
    return tf.gather(this.wpe, tf.tensor1d(pos, 'int32')).reshape([B, T, C]); // [B*T] -> [B,T,C]
  }

  private attentionBias(B: number, T: number, offset: number, padLeft?: readonly number[]): tf.Tensor {
    const Tk = offset + T;
    const causal = this.causalBias.slice([offset, 0], [T, Tk]); // [blockSize,blockSize] -> [T,Tk]
    if (!padLeft) return causal;
    const keys = new Float32Array(B * Tk);
    for (let b = 0; b < B; b++) keys.fill(MASKED, b * Tk, b * Tk + Math.min(padLeft[b], Tk));
    return causal.add(tf.tensor4d(keys, [B, 1, 1, Tk])); // [T,Tk] + [B,1,1,Tk] -> [B,1,T,Tk]
  }
}
