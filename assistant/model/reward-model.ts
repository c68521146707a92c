import * as tf from '@tensorflow/tfjs';
import { type GptConfig, type GptConfigInput, gptConfig } from './config.js';
import type { Gpt, ModelOptions } from './gpt.js';
import { Linear } from './linear.js';
import { copyParams, ParamStore } from './params.js';
import { GptTrunk } from './trunk.js';

/**
 * Reward model: the GPT trunk plus a scalar head read at each sequence's last real token (DESIGN.md
 * "Reward model"; InstructGPT). Sequences are right-padded; causal attention means padding after the
 * last real token cannot change its hidden state, so padding never changes the score.
 */
export class RewardModel {
  readonly kind = 'reward-model' as const;
  readonly config: GptConfig;
  readonly trunk: GptTrunk;
  readonly scoreHead: Linear;
  private readonly store: ParamStore;

  constructor(config: GptConfigInput, options: ModelOptions = {}) {
    this.config = gptConfig(config);
    this.store = new ParamStore(options.seed);
    this.trunk = new GptTrunk(this.store, this.config);
    this.scoreHead = new Linear(this.store, 'scoreHead', this.config.nEmbd, 1, 0.02);
  }

  /** A reward model whose trunk starts as a copy of the (SFT) policy's; the head is freshly initialized. */
  static fromPolicy(policy: Gpt, options: ModelOptions = {}): RewardModel {
    const rm = new RewardModel(policy.config, options);
    copyParams(policy.namedVariables(), rm.namedVariables(), policy.namedVariables().keys());
    return rm;
  }

  /**
   * Scores [B] for ids [B,T] int32 and lengths [B] (real tokens per row, ≥ 1): the head is read at
   * position padLeft[b] + lengths[b] − 1. With `padLeft`, rows may also be left-padded (as rollouts
   * from batched generation are): the left padding is masked and position ids start at the first token.
   */
  score(
    idx: tf.Tensor2D,
    lengths: tf.Tensor1D | readonly number[],
    options: { padLeft?: readonly number[]; training?: boolean } = {},
  ): tf.Tensor1D {
    const [B, T, C] = [idx.shape[0], idx.shape[1], this.config.nEmbd];
    const lens = Array.isArray(lengths) ? lengths : null;
    if (lens && lens.length !== B) throw new Error(`${lens.length} lengths for ${B} rows: give one per row`);
    if (lens?.some((n) => n < 1 || n > T)) throw new Error(`lengths ${lens} must be in 1..${T}`);
    return tf.tidy(() => {
      const hidden = this.trunk.forward(idx, options); // [B,T] -> [B,T,C]
      const perPos = this.scoreHead.forward(hidden.reshape([B * T, C])).reshape([B, T]); // [B,T,C] -> [B,T]
      const len = lens ? tf.tensor1d(lens as number[], 'int32') : (lengths as tf.Tensor1D).cast('int32');
      const pad = tf.tensor1d(options.padLeft ? [...options.padLeft] : new Array<number>(B).fill(0), 'int32');
      const last = tf.oneHot(len.add(pad).sub(tf.scalar(1, 'int32')), T, 1, 0, 'float32'); // [B] -> [B,T]
      return perPos.mul(last).sum(1) as tf.Tensor1D; // [B,T] -> [B]
    });
  }

  variables(): tf.Variable[] {
    return this.store.list();
  }

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
