import * as tf from '@tensorflow/tfjs';
import type { ParamStore } from './params.js';

/** y = x·W + b on 2-D input; W ~ N(0, std²) (GPT-2: 0.02, residual projections 0.02/√(2·nLayer)), b = 0. */
export class Linear {
  readonly w: tf.Variable;
  readonly b: tf.Variable;

  constructor(store: ParamStore, name: string, readonly inDim: number, readonly outDim: number, std: number) {
    this.w = store.normal(`${name}.w`, [inDim, outDim], std);
    this.b = store.fill(`${name}.b`, [outDim], 0);
  }

  forward(x: tf.Tensor2D): tf.Tensor2D {
    // One fused matmul+bias kernel: a single call where a backend has one (wasm/XNNPACK, tfjs-node).
    return tf.fused.matMul({ a: x, b: this.w as tf.Tensor2D, bias: this.b }) as tf.Tensor2D; // [N,in] -> [N,out]
  }
}
