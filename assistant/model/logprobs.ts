import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from './cross-entropy.js';
import type { Gpt } from './gpt.js';

/** log softmax(logits)[target] per row: logits [N,V], targets [N] int32 -> [N]. Differentiable. */
export function logprobsOfTargets(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => crossEntropy(logits, targets).neg());
}

/**
 * Per-token log π of given sequences (PPO's old/new/ref log-probs; "keep staff-approved answers
 * likely"). ids [B,T] int32 = prompt + response; mask [B,T] marks the tokens to score (1 on response
 * tokens). Returns [B,T]: out[b,t] = log π(ids[b,t] | ids[b,<t]) · mask[b,t], and 0 at t = 0 (nothing
 * predicts the first token). Differentiable, so a PPO loss can use it directly.
 *
 * `padLeft` lets rows be left-padded (as generate() batches them): padding is masked out of attention
 * and position ids start at each row's first token; keep mask = 0 on the padding.
 */
export function tokenLogprobs(
  model: Gpt,
  ids: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: { padLeft?: readonly number[]; training?: boolean } = {},
): tf.Tensor2D {
  const [B, T] = ids.shape;
  const V = model.config.vocabSize;
  if (!tf.util.arraysEqual(mask.shape, [B, T])) throw new Error(`mask [${mask.shape}] ≠ ids [${B},${T}]`);
  if (T < 2) throw new Error(`sequences of ${T} token: need a prompt token and at least one to score`);
  return tf.tidy(() => {
    const { logits } = model.forward(ids, options); // [B,T] -> [B,T,V]
    const pred = logits.slice([0, 0, 0], [B, T - 1, V]).reshape([B * (T - 1), V]) as tf.Tensor2D; // [B*(T-1),V]
    const next = ids.slice([0, 1], [B, T - 1]).reshape([B * (T - 1)]) as tf.Tensor1D; // [B,T] -> [B*(T-1)]
    const lp = logprobsOfTargets(pred, next).reshape([B, T - 1]); // [B*(T-1)] -> [B,T-1]
    const aligned = tf.concat([tf.zeros([B, 1]), lp], 1); // [B,T-1] -> [B,T]
    return aligned.mul(mask.cast('float32')) as tf.Tensor2D;
  });
}
