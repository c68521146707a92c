import { beforeAll, describe, expect, it } from 'vitest';
import { loadNative } from '../native/load.js';
import { tf } from '../tf.js';
import { maxErrorVsStock, preparePatched, randomTensor, withGrads } from './compare.js';
import { matMulCases } from './matmul-cases.js';
import { isPatched } from './registry.js';

const native = loadNative();

describe.skipIf(!native.kernels)('BatchMatMul and _FusedMatMul on cpu + OpenBLAS', () => {
  beforeAll(async () => {
    await preparePatched('cpu', native.kernels);
    expect(isPatched('BatchMatMul', 'cpu') && isPatched('_FusedMatMul', 'cpu')).toBe(true);
  });

  it('matches the stock cpu kernel for every transpose and batch layout: values and gradients', async () => {
    for (const [i, c] of matMulCases().entries()) {
      const product = (a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b, c.transposeA, c.transposeB);
      const inputs = () => [randomTensor(i, c.a), randomTensor(i + 500, c.b)];
      const err = await maxErrorVsStock('cpu', () =>
        c.broadcast ? product(...(inputs() as [tf.Tensor, tf.Tensor])) : withGrads((a, b) => product(a!, b!), inputs()),
      );
      expect(err, JSON.stringify(c)).toBeLessThan(1e-5);
    }
  });

  it('handles empty products like stock (zero rows, zero inner dimension)', async () => {
    const err = await maxErrorVsStock('cpu', () => [
      tf.matMul(tf.zeros([0, 3]), randomTensor(1, [3, 4])),
      tf.matMul(tf.zeros([2, 0]), tf.zeros([0, 5])),
    ]);
    expect(err).toBe(0);
  });

  it('fuses the bias (per column) and falls back to stock for other activations', async () => {
    for (const activation of ['linear', 'relu', undefined] as const) {
      for (const [tA, tB, m] of [[false, false, 9], [true, false, 9], [false, true, 9], [false, false, 1], [true, true, 3]] as const) {
        const err = await maxErrorVsStock('cpu', () => {
          const a = randomTensor(1, tA ? [16, m] : [m, 16]);
          const b = randomTensor(2, tB ? [5, 16] : [16, 5]);
          return withGrads(
            (x, w, bias) => tf.fused.matMul({ a: x!, b: w!, bias, transposeA: tA, transposeB: tB, activation }),
            [a, b, randomTensor(3, [5])],
          );
        });
        expect(err, `${activation} ${tA} ${tB} ${m}`).toBeLessThan(1e-5);
      }
    }
  });
});
