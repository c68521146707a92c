import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { maxErrorVsStock, preparePatched, randomTensor, withGrads } from './compare.js';
import { isPatched } from './registry.js';

describe('Concat on cpu', () => {
  beforeAll(async () => {
    await preparePatched('cpu');
    expect(isPatched('Concat', 'cpu')).toBe(true);
  });

  it('concatenates like stock along every axis, with empty parts: values and gradients', async () => {
    const cases: [number[][], number][] = [
      [[[1, 4, 7, 32], [1, 4, 1, 32]], 2], // KV-cache append
      [[[3, 5], [3, 2], [3, 1]], 1],
      [[[3, 5], [2, 5]], 0],
      [[[2, 3, 4], [2, 3, 1]], -1],
      [[[4], [0], [3]], 0],
      [[[2, 0, 3], [2, 2, 3]], 1],
    ];
    for (const [i, [shapes, axis]] of cases.entries()) {
      const err = await maxErrorVsStock('cpu', () =>
        withGrads((...xs) => tf.concat(xs, axis), shapes.map((s, j) => randomTensor(i * 10 + j, s))),
      );
      expect(err, `${JSON.stringify(shapes)} axis ${axis}`).toBe(0);
    }
  });

  it('concatenates int32 and float32-cast-from-bool like stock', async () => {
    const err = await maxErrorVsStock('cpu', () => {
      const ints = [tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), tf.tensor2d([5, 6], [2, 1], 'int32')];
      const mask = tf.greater(randomTensor(1, [2, 3]), 0).cast('float32');
      return [tf.concat(ints, 1).cast('float32'), tf.concat([mask, randomTensor(2, [2, 3])], 0)];
    });
    expect(err).toBe(0);
  });
});
