import * as tf from '@tensorflow/tfjs';
import type { GptConfig } from './config.js';
import { Linear } from './linear.js';
import type { ParamStore } from './params.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU, GPT-2's tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). tfjs core has none. */
export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const inner = x.mul(x.square().mul(0.044715).add(1)).mul(SQRT_2_OVER_PI); // x + 0.044715x³, no pow kernel
    return x.mul(0.5).mul(tf.tanh(inner).add(1)) as T;
  });
}

/** Position-wise feed-forward: C → 4C → GELU → C. */
export class Mlp {
  readonly fc: Linear;
  readonly proj: Linear;

  constructor(
    store: ParamStore,
    name: string,
    private readonly config: GptConfig,
  ) {
    const { nEmbd, nLayer } = config;
    this.fc = new Linear(store, `${name}.cFc`, nEmbd, 4 * nEmbd, 0.02);
    this.proj = new Linear(store, `${name}.cProj`, 4 * nEmbd, nEmbd, 0.02 / Math.sqrt(2 * nLayer));
  }

  forward(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    const [B, T, C] = x.shape;
    const { dropout } = this.config;
    return tf.tidy(() => {
      const h = gelu(this.fc.forward(x.reshape([B * T, C]))); // [B,T,C] -> [B*T,4C]
      let out = this.proj.forward(h); // [B*T,4C] -> [B*T,C]
      if (training && dropout > 0) out = tf.dropout(out, dropout) as tf.Tensor2D;
      return out.reshape([B, T, C]) as tf.Tensor3D; // [B*T,C] -> [B,T,C]
    });
  }
}
