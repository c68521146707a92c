import * as tf from '@tensorflow/tfjs';
import { Linear } from './linear.js';
import { ParamStore } from './params.js';

/**
 * PPO's value head: Linear C→1 on the policy trunk's hidden states, [B,T,C] -> [B,T]. Its own
 * parameters (train them together with the policy's); the trunk is the Gpt's.
 */
export class ValueHead {
  readonly kind = 'value-head' as const;
  readonly config: { nEmbd: number };
  readonly proj: Linear;
  private readonly store: ParamStore;

  constructor(nEmbd: number, options: { seed?: number } = {}) {
    if (!Number.isInteger(nEmbd) || nEmbd <= 0) throw new Error(`nEmbd ${nEmbd}: pass the trunk's width`);
    this.config = { nEmbd };
    this.store = new ParamStore(options.seed);
    this.proj = new Linear(this.store, 'vHead', nEmbd, 1, 0.02);
  }

  forward(hidden: tf.Tensor3D): tf.Tensor2D {
    const [B, T, C] = hidden.shape;
    if (C !== this.config.nEmbd) throw new Error(`hidden width ${C} ≠ value head width ${this.config.nEmbd}`);
    return tf.tidy(() => this.proj.forward(hidden.reshape([B * T, C])).reshape([B, T])); // [B,T,C] -> [B,T]
  }

  variables(): tf.Variable[] {
    return this.store.list();
  }

  namedVariables(): ReadonlyMap<string, tf.Variable> {
    return this.store.named();
  }

  dispose(): void {
    this.store.dispose();
  }
}
