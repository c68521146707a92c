import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { maxErrorVsStock, preparePatched, randomTensor, withGrads } from './compare.js';
import { isPatched } from './registry.js';

describe('GatherV2 and OneHot on cpu', () => {
  beforeAll(async () => {
    await preparePatched('cpu');
    expect(isPatched('GatherV2', 'cpu') && isPatched('OneHot', 'cpu')).toBe(true);
  });

  it('gathers like stock along any axis, with scalar, 1-D and 2-D indices: values and gradients', async () => {
    const cases: [number[], number, number[], number[]][] = [
      [[50, 8], 0, [6], [3, 0, 49, 3, 7, 20]],
      [[50, 32], 0, [2, 3], [1, 2, 3, 4, 5, 49]],
      [[4, 6, 5], 1, [4], [5, 0, 0, 2]],
      [[4, 6, 5], -1, [], [4]],
      [[7], 0, [3], [6, 6, 0]],
      [[3, 0], 0, [2], [1, 2]],
    ];
    for (const [i, [shape, axis, idxShape, idx]] of cases.entries()) {
      const err = await maxErrorVsStock('cpu', () =>
        withGrads((x) => tf.gather(x!, tf.tensor(idx, idxShape, 'int32'), axis), [randomTensor(i, shape)]),
      );
      expect(err, `${shape} axis ${axis}`).toBe(0);
    }
  });

  it('gathers int32 and float32-cast-from-bool tensors like stock', async () => {
    const err = await maxErrorVsStock('cpu', () => {
      const ints = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
      const mask = tf.greater(randomTensor(1, [5, 4]), 0).cast('float32');
      const idx = tf.tensor1d([2, 0, 2], 'int32');
      return [tf.gather(ints, idx).cast('float32'), tf.gather(mask, idx), tf.gather(mask, idx, 1)];
    });
    expect(err).toBe(0);
  });

  it('rejects an out-of-range index as stock does', async () => {
    await tf.setBackend('cpu');
    expect(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([3], 'int32'))).toThrow(/index value 3 is not in \[0, 2\]/);
  });

  it('one-hot encodes like stock, out-of-range ids included', async () => {
    const err = await maxErrorVsStock('cpu', () => {
      const ids = tf.tensor1d([0, 4, -1, 7, 2], 'int32');
      return [tf.oneHot(ids, 5), tf.oneHot(ids, 6, 3, -1), tf.oneHot(tf.tensor2d([1, 0, 2, 2], [2, 2], 'int32'), 3)];
    });
    expect(err).toBe(0);
  });
});
