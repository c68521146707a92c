import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { maxErrorVsStock, preparePatched } from './compare.js';
import { isPatched, stockKernel } from './registry.js';

describe('OneHot on wasm', () => {
  beforeAll(async () => {
    await preparePatched('wasm');
    expect(isPatched('OneHot', 'wasm')).toBe(true);
  });

  it('matches stock cpu for float32 and int32, custom on/off values and out-of-range ids', async () => {
    const err = await maxErrorVsStock('wasm', () => {
      const ids = tf.tensor1d([0, 4, -1, 7, 2], 'int32');
      return [
        tf.oneHot(ids, 5, 1, 0, 'float32'),
        tf.oneHot(ids, 6, 0.5, -2, 'float32'),
        tf.oneHot(ids, 5).cast('float32'),
        tf.oneHot(tf.tensor2d([1, 0, 2, 2], [2, 2], 'int32'), 3, 1, 0, 'float32'),
      ];
    });
    expect(err).toBe(0);
  });

  it('replaces a stock kernel that writes int32 bits into float32 outputs (why it exists)', async () => {
    await tf.setBackend('wasm');
    const ids = tf.tensor1d([1], 'int32');
    const attrs = { depth: 2, onValue: 1, offValue: 0, dtype: 'float32' };
    const info = stockKernel(tf.OneHot, 'wasm').kernelFunc({ inputs: { indices: ids }, backend: tf.backend(), attrs }) as tf.TensorInfo;
    const values = tf.engine().makeTensorFromTensorInfo(info).dataSync();
    expect(values[1]).not.toBe(1); // 1.4e-45: the int32 1 read as a float
    expect(tf.oneHot(ids, 2, 1, 0, 'float32').dataSync()[1]).toBe(1);
  });
});
