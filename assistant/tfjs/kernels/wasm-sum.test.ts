import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { maxErrorVsStock, preparePatched, randomTensor, withGrads } from './compare.js';
import { isPatched } from './registry.js';

describe('Sum on wasm', () => {
  beforeAll(async () => {
    await preparePatched('wasm');
    expect(isPatched('Sum', 'wasm')).toBe(true);
  });

  it('matches stock cpu over leading, trailing, scattered and all axes: values and gradients', async () => {
    const cases: [number[], number | number[] | undefined, boolean][] = [
      [[64, 40, 33], [0, 1], false], // bias gradient
      [[3, 4, 5], 2, false],
      [[3, 4, 5], -1, true],
      [[3, 4, 5], [0, 2], false], // scattered: stock
      [[3, 4, 5], undefined, false],
      [[3, 1, 5], [0, 2], true],
      [[6], 0, false],
    ];
    for (const [i, [shape, axes, keep]] of cases.entries()) {
      const err = await maxErrorVsStock('wasm', () => withGrads((x) => tf.sum(x!, axes, keep), [randomTensor(i, shape, 3)]));
      expect(err, `[${shape}] axes ${axes} keep ${keep}`).toBeLessThan(1e-5);
    }
  });

  it('sums int32, bool and empty tensors like stock (stock wasm returns garbage for empty ones)', async () => {
    const err = await maxErrorVsStock('wasm', () => [
      tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 1).cast('float32'),
      tf.sum(tf.tensor1d([1, 0, 1], 'bool')).cast('float32'),
      tf.sum(tf.zeros([0, 3]), 0),
    ]);
    expect(err).toBe(0);
  });
});
