import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { maxErrorVsStock, preparePatched, randomTensor, rng, withGrads } from './compare.js';
import { isPatched } from './registry.js';

describe('Transpose and Identity on wasm', () => {
  beforeAll(async () => {
    await preparePatched('wasm');
    expect(isPatched('Transpose', 'wasm') && isPatched('Identity', 'wasm')).toBe(true);
  });

  it('transposes like stock for random shapes and permutations up to rank 6: values and gradients', async () => {
    const rand = rng(21);
    for (let i = 0; i < 40; i++) {
      const rank = 1 + (i % 6);
      const shape = Array.from({ length: rank }, () => [1, 2, 3, 5, 8][Math.floor(rand() * 5)]!);
      const perm = shape.map((_, d) => d).sort(() => rand() - 0.5);
      const err = await maxErrorVsStock('wasm', () => withGrads((x) => tf.transpose(x!, perm), [randomTensor(i, shape)]));
      expect(err, `${shape} ${perm}`).toBe(0);
    }
  });

  it("moves the model's head split, attention heads and large 2-D blocks like stock", async () => {
    const err = await maxErrorVsStock('wasm', () => [
      tf.transpose(randomTensor(1, [2, 16, 3, 4, 8]), [2, 0, 3, 1, 4]),
      tf.transpose(randomTensor(2, [3, 2, 4, 16, 8]), [1, 3, 0, 2, 4]),
      tf.transpose(randomTensor(3, [2, 64, 4, 8]), [0, 2, 1, 3]),
      tf.transpose(randomTensor(4, [300, 170])),
      tf.transpose(tf.tensor3d(Int32Array.from({ length: 60 }, (_, i) => i * 7919 - 30000), [3, 4, 5], 'int32'), [2, 0, 1]).cast('float32'),
      tf.transpose(tf.zeros([0, 3, 2]), [1, 2, 0]),
    ]);
    expect(err).toBe(0);
  });

  it('Identity shares data: a clone outlives its original and frees nothing twice', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numBytes;
    const t = randomTensor(5, [64]);
    const want = Array.from(t.dataSync());
    const copy = t.clone(); // the Identity kernel
    t.dispose();
    tf.dispose(Array.from({ length: 10 }, (_, i) => randomTensor(10 + i, [64])));
    expect(Array.from(copy.dataSync())).toEqual(want);
    copy.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });
});
