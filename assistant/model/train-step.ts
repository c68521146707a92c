import * as tf from '@tensorflow/tfjs';
import { AdamW, type AdamWOptions, clipByGlobalNorm } from './adamw.js';
import type { Gpt } from './gpt.js';

export interface TrainerOptions extends AdamWOptions {
  /** Clip the gradients' global L2 norm to this value before the update. Default: no clipping. */
  gradClip?: number;
}

export interface LossTrainer {
  /** One optimizer step on the scalar `loss()` computes; returns the loss before the update. */
  step(loss: () => tf.Scalar): number;
  /** Steps taken so far. */
  readonly steps: number;
  /** Global gradient norm of the last step, before clipping. */
  readonly lastGradNorm: number;
  /** Frees the optimizer state (the model's variables are the caller's). */
  dispose(): void;
}

export interface Trainer extends Omit<LossTrainer, 'step'> {
  /** One AdamW step on the model's (masked) next-token loss; returns the loss before the update. */
  step(idx: tf.Tensor2D, targets: tf.Tensor2D, mask?: tf.Tensor2D): number;
}

/**
 * Gradient step on any scalar loss over the given variables: AdamW with optional global-norm
 * clipping. The reward-model and PPO trainers use it with their own losses (policy + value head).
 */
export function makeLossTrainer(variables: readonly tf.Variable[], options: TrainerOptions): LossTrainer {
  const optimizer = new AdamW(variables, options);
  const { gradClip } = options;
  if (gradClip !== undefined && !(gradClip > 0)) throw new Error(`gradClip ${gradClip}: use a positive norm`);
  let lastGradNorm = NaN;
  return {
    step(loss) {
      // 1. loss and gradients of every variable (tfjs keys them by the tf.Variable name)
      const { value, grads } = tf.variableGrads(loss, variables as tf.Variable[]);
      try {
        const ordered = variables.map((v) => grads[v.name]);
        const present = ordered.filter((g): g is tf.Tensor => g !== undefined);
        // 2. clip the global norm, 3. AdamW update
        tf.tidy(() => {
          const { grads: clipped, norm } = clipByGlobalNorm(present, gradClip ?? Infinity);
          let j = 0;
          optimizer.apply(ordered.map((g) => (g ? clipped[j++] : undefined)));
          lastGradNorm = norm.dataSync()[0];
        });
        return value.dataSync()[0];
      } finally {
        value.dispose();
        tf.dispose(grads);
      }
    },
    get steps() {
      return optimizer.steps;
    },
    get lastGradNorm() {
      return lastGradNorm;
    },
    dispose() {
      optimizer.dispose();
    },
  };
}

/**
 * The language-model trainer (SFT, the train-speed benchmark): AdamW on `model.loss` with dropout on.
 *
 *   const trainer = makeTrainer(model, { lr: 3e-4, betas: [0.9, 0.95], weightDecay: 0.1, gradClip: 1 });
 *   const loss = trainer.step(idx, targets, mask); // idx/targets [B,T] int32, mask [B,T] float32
 */
export function makeTrainer(model: Gpt, options: TrainerOptions): Trainer {
  const inner = makeLossTrainer(model.variables(), options);
  return {
    step: (idx, targets, mask) => inner.step(() => model.loss(idx, targets, mask, { training: true })),
    get steps() {
      return inner.steps;
    },
    get lastGradNorm() {
      return inner.lastGradNorm;
    },
    dispose: () => inner.dispose(),
  };
}
