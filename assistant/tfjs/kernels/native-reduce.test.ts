import { beforeAll, describe, expect, it } from 'vitest';
import { loadNative } from '../native/load.js';
import { tf } from '../tf.js';
import { maxErrorVsStock, preparePatched, randomTensor, withGrads } from './compare.js';
import { isPatched } from './registry.js';

const native = loadNative();
const TOL = 1e-5;

/** [shape, axes, keepDims]: last axis, leading axes, scattered axes, all, size-1 axes between. */
const CASES: [number[], number | number[] | undefined, boolean][] = [
  [[3, 4, 5], 2, false],
  [[3, 4, 5], -1, true],
  [[3, 4, 5], [0, 1], false],
  [[3, 4, 5], [0, 2], false],
  [[3, 4, 5], [0, 2], true],
  [[3, 4, 5], undefined, false],
  [[3, 1, 5], [0, 2], true],
  [[6], 0, false],
  [[2, 3, 4, 5], [1, 3], false],
  [[64, 40, 33], [0, 1], false], // bias gradient: large leading reduction
  [[512, 300], 1, true], // LayerNorm statistics, above the threading threshold
];

const ops: [string, (x: tf.Tensor, axis: number | number[] | undefined, keep: boolean) => tf.Tensor][] = [
  ['Sum', (x, a, k) => tf.sum(x, a, k)],
  ['Mean', (x, a, k) => tf.mean(x, a, k)],
  ['Max', (x, a, k) => tf.max(x, a, k)],
  ['Min', (x, a, k) => tf.min(x, a, k)],
];

describe.skipIf(!native.kernels)('reductions and softmax on cpu (native)', () => {
  beforeAll(async () => {
    await preparePatched('cpu', native.kernels);
    for (const k of ['Sum', 'Mean', 'Max', 'Min', 'Softmax']) expect(isPatched(k, 'cpu'), k).toBe(true);
  });

  for (const [name, op] of ops) {
    it(`${name} matches stock over adjacent, scattered and all axes: values and gradients`, async () => {
      for (const [i, [shape, axes, keep]] of CASES.entries()) {
        const err = await maxErrorVsStock('cpu', () => withGrads((x) => op(x!, axes, keep), [randomTensor(i, shape, 3)]));
        expect(err, `${name} [${shape}] axes ${axes} keep ${keep}`).toBeLessThan(TOL);
      }
    });
  }

  it('reduces empty tensors and int32 like stock', async () => {
    const err = await maxErrorVsStock('cpu', () => [
      tf.sum(tf.zeros([0, 3]), 0),
      tf.mean(tf.ones([2, 3]), []),
      tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 1).cast('float32'),
      tf.max(tf.tensor1d([NaN, 1, 2]), 0),
    ]);
    expect(err).toBe(0);
  });

  it('Softmax matches stock, masked attention rows included: values and gradients', async () => {
    const masked = () => {
      const bias = tf.linalg.bandPart(tf.ones([9, 9]), -1, 0).sub(1).mul(1e9); // 0 on/below the diagonal, -1e9 above
      return randomTensor(5, [2, 3, 9, 9], 4).add(bias);
    };
    for (const [i, make] of [() => randomTensor(1, [5, 7], 5), () => randomTensor(2, [1]), () => randomTensor(3, [300, 200], 8), masked].entries()) {
      const err = await maxErrorVsStock('cpu', () => withGrads((x) => tf.softmax(x!), [make()]));
      expect(err, `case ${i}`).toBeLessThan(TOL);
    }
  });
});
