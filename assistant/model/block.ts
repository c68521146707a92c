import * as tf from '@tensorflow/tfjs';
import { type AttentionContext, CausalSelfAttention } from './attention.js';
import type { GptConfig } from './config.js';
import { LayerNorm } from './layer-norm.js';
import { Mlp } from './mlp.js';
import type { ParamStore } from './params.js';

/** Pre-LN transformer block: x + attn(ln1(x)), then + mlp(ln2(x)). */
export class Block {
  readonly ln1: LayerNorm;
  readonly attn: CausalSelfAttention;
  readonly ln2: LayerNorm;
  readonly mlp: Mlp;

  constructor(store: ParamStore, layer: number, config: GptConfig) {
    const name = `h.${layer}`;
    this.ln1 = new LayerNorm(store, `${name}.ln1`, config.nEmbd);
    this.attn = new CausalSelfAttention(store, `${name}.attn`, layer, config);
    this.ln2 = new LayerNorm(store, `${name}.ln2`, config.nEmbd);
    this.mlp = new Mlp(store, `${name}.mlp`, config);
  }

  forward(x: tf.Tensor3D, ctx: AttentionContext): tf.Tensor3D {
    return tf.tidy(() => {
      const h = x.add(this.attn.forward(this.ln1.forward(x), ctx)) as tf.Tensor3D; // [B,T,C]
      return h.add(this.mlp.forward(this.ln2.forward(h), ctx.training)) as tf.Tensor3D; // [B,T,C]
    });
  }
}
