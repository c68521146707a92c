import * as tf from '@tensorflow/tfjs';

/**
 * Per-row cross-entropy −log softmax(logits)[target]: logits [N,V], targets [N] int32 -> [N].
 *
 * One custom-gradient op instead of logSoftmax + oneHot-mask: the forward is one exp pass over the
 * vocab and the backward is (softmax − onehot)·dy, with no gather gradient (tfjs turns that into a
 * segment sum over N·V segments, or for batchDims=1 into N separate ones). Vocab-wide work is among the
 * largest costs after the matmuls (FACTS.md), so it is worth the few lines.
 */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  const [N, V] = logits.shape;
  if (targets.shape[0] !== N) throw new Error(`${targets.shape[0]} targets for ${N} rows of logits`);
  if (targets.dtype !== 'int32') throw new Error(`targets are ${targets.dtype}: pass int32 token ids`);
  return tf.tidy(() => {
    // targets go in as an input and are saved: a gradient closure must not read tensors that a tidy
    // may free before the backward pass (tf.logSigmoid's does, and breaks inside variableGrads).
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, tgt, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
      const shifted = x.sub(x.max(1, true)); // [N,V] - [N,1] -> [N,V]
      const e = shifted.exp(); // [N,V]
      const s = e.sum(1, true); // [N,V] -> [N,1]
      const flat = tf.range(0, N, 1, 'int32').mul(tf.scalar(V, 'int32')).add(tgt); // [N]: target's index in [N*V]
      const picked = tf.gather(shifted.reshape([N * V]), flat); // [N*V] -> [N]
      save([e, s, tgt]);
      return {
        value: s.log().reshape([N]).sub(picked), // [N,1] -> [N]
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [eS, sS, tS] = saved;
          const onehot = tf.oneHot(tS as tf.Tensor1D, V, 1, 0, 'float32'); // [N] -> [N,V]
          return [eS.div(sS).sub(onehot).mul(dy.reshape([N, 1])), tf.zerosLike(tS)]; // [N,V], none for ids
        },
      };
    });
    return op(logits, targets) as tf.Tensor1D;
  });
}
