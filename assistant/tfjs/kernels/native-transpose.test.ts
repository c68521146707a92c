import { beforeAll, describe, expect, it } from 'vitest';
import { loadNative } from '../native/load.js';
import { tf } from '../tf.js';
import { maxErrorVsStock, preparePatched, randomTensor, rng, withGrads } from './compare.js';
import { isPatched } from './registry.js';

const native = loadNative();

describe.skipIf(!native.kernels)('Transpose on cpu (native)', () => {
  beforeAll(async () => {
    await preparePatched('cpu', native.kernels);
    expect(isPatched('Transpose', 'cpu')).toBe(true);
  });

  it('matches stock for random shapes and permutations up to rank 6: values and gradients', async () => {
    const rand = rng(11);
    for (let i = 0; i < 40; i++) {
      const rank = 1 + (i % 6);
      const shape = Array.from({ length: rank }, () => [1, 2, 3, 5, 8][Math.floor(rand() * 5)]!);
      const perm = shape.map((_, d) => d).sort(() => rand() - 0.5);
      const err = await maxErrorVsStock('cpu', () => withGrads((x) => tf.transpose(x!, perm), [randomTensor(i, shape)]));
      expect(err, `${shape} ${perm}`).toBe(0);
    }
  });

  it('moves attention heads and large 2-D blocks like stock', async () => {
    const err = await maxErrorVsStock('cpu', () => [
      tf.transpose(randomTensor(1, [4, 64, 4, 32]), [0, 2, 1, 3]),
      tf.transpose(randomTensor(2, [300, 170])),
      tf.transpose(randomTensor(3, [2, 70, 90]), [0, 2, 1]),
    ]);
    expect(err).toBe(0);
  });

  it('transposes int32 bit for bit and empty tensors', async () => {
    const err = await maxErrorVsStock('cpu', () => [
      tf.transpose(tf.tensor3d(Int32Array.from({ length: 60 }, (_, i) => i * 7919 - 30000), [3, 4, 5], 'int32'), [2, 0, 1]).cast('float32'),
      tf.transpose(tf.zeros([0, 3, 2]), [1, 2, 0]),
    ]);
    expect(err).toBe(0);
  });
});
