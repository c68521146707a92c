import * as tf from '@tensorflow/tfjs';
import type { ParamStore } from './params.js';

/** LayerNorm over the last axis with a learned gain and bias (eps 1e-5 as in GPT-2). */
export class LayerNorm {
  static readonly eps = 1e-5;
  readonly gain: tf.Variable;
  readonly bias: tf.Variable;

  constructor(store: ParamStore, name: string, readonly dim: number) {
    this.gain = store.fill(`${name}.g`, [dim], 1);
    this.bias = store.fill(`${name}.b`, [dim], 0);
  }

  forward<T extends tf.Tensor>(x: T): T {
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true); // [...,C] -> [...,1]
      const normed = x.sub(mean).mul(tf.rsqrt(variance.add(LayerNorm.eps)));
      return normed.mul(this.gain).add(this.bias) as T;
    });
  }
}

