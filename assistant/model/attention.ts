import * as tf from '@tensorflow/tfjs';
import type { GptConfig } from './config.js';
import type { KvCache } from './kv-cache.js';
import { Linear } from './linear.js';
import type { ParamStore } from './params.js';

export interface AttentionContext {
  /**
   * Additive mask, 0 where a query may attend and -1e9 where it may not (future tokens, left padding);
   * [T,Tk] or [B,1,T,Tk], broadcast over heads. Finite, so a fully masked row gives no NaN.
   */
  bias: tf.Tensor;
  /** Cache of this layer's earlier K/V; this step's are appended to it. */
  cache?: KvCache;
  /** Apply dropout (training only). */
  training: boolean;
}

/** Multi-head causal self-attention (GPT-2's `c_attn` → heads → softmax(QKᵀ/√hs)·V → `c_proj`). */
export class CausalSelfAttention {
  readonly qkv: Linear;
  readonly proj: Linear;
  private readonly scale: number;

  constructor(
    store: ParamStore,
    name: string,
    readonly layer: number,
    private readonly config: GptConfig,
  ) {
    const { nEmbd, nHead, headSize, nLayer } = config;
    if (headSize * nHead !== nEmbd) throw new Error(`nHead ${nHead} × headSize ${headSize} ≠ nEmbd ${nEmbd}`);
    this.qkv = new Linear(store, `${name}.cAttn`, nEmbd, 3 * nEmbd, 0.02);
    // GPT-2: residual projections scaled by 1/√(2·nLayer), two residual adds per block.
    this.proj = new Linear(store, `${name}.cProj`, nEmbd, nEmbd, 0.02 / Math.sqrt(2 * nLayer));
    this.scale = 1 / Math.sqrt(headSize);
  }

  forward(x: tf.Tensor3D, ctx: AttentionContext): tf.Tensor3D {
    const { nHead: nH, headSize: hs, nEmbd: C, dropout } = this.config;
    const [B, T] = x.shape;
    return tf.tidy(() => {
      const qkv = this.qkv.forward(x.reshape([B * T, C])); // [B,T,C] -> [B*T,3C]
      // One transpose, then contiguous slices along axis 0 (tf.split on the last axis is a slow strided copy).
      const heads = qkv.reshape([B, T, 3, nH, hs]).transpose([2, 0, 3, 1, 4]); // [B*T,3C] -> [3,B,nH,T,hs]
      const [q, k, v] = tf.unstack(heads) as tf.Tensor4D[]; // [3,B,nH,T,hs] -> 3 × [B,nH,T,hs]
      // With a cache, attend over the earlier positions too: [B,nH,T,hs] -> [B,nH,Tk,hs], Tk = Tc + T.
      const { k: keys, v: vals } = ctx.cache ? ctx.cache.append(this.layer, k, v) : { k, v };
      const qs = q.mul(this.scale); // scaling q is cheaper than scaling the [T,Tk] scores
      let att = tf.matMul(qs, keys, false, true); // [B,nH,T,hs] x [B,nH,Tk,hs]ᵀ -> [B,nH,T,Tk]
      att = tf.softmax(att.add(ctx.bias)); // [B,nH,T,Tk]
      if (ctx.training && dropout > 0) att = tf.dropout(att, dropout);
      const y = tf.matMul(att, vals); // [B,nH,T,Tk] x [B,nH,Tk,hs] -> [B,nH,T,hs]
      const merged = y.transpose([0, 2, 1, 3]).reshape([B * T, C]) as tf.Tensor2D; // [B,nH,T,hs] -> [B*T,C]
      let out = this.proj.forward(merged); // [B*T,C]
      if (ctx.training && dropout > 0) out = tf.dropout(out, dropout) as tf.Tensor2D;
      return out.reshape([B, T, C]) as tf.Tensor3D; // [B*T,C] -> [B,T,C]
    });
  }
}
