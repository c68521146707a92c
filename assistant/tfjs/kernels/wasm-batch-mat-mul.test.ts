import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { maxErrorVsStock, preparePatched, randomTensor, withGrads } from './compare.js';
import { matMulCases } from './matmul-cases.js';
import { isPatched } from './registry.js';

describe('BatchMatMul on wasm (routed onto XNNPACK)', () => {
  beforeAll(async () => {
    await preparePatched('wasm');
    expect(isPatched('BatchMatMul', 'wasm')).toBe(true);
  });

  it('matches the stock cpu kernel for every transpose and batch layout: values and gradients', async () => {
    for (const [i, c] of matMulCases().entries()) {
      const product = (a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b, c.transposeA, c.transposeB);
      const inputs = () => [randomTensor(i, c.a), randomTensor(i + 500, c.b)];
      const err = await maxErrorVsStock('wasm', () =>
        c.broadcast ? product(...(inputs() as [tf.Tensor, tf.Tensor])) : withGrads((a, b) => product(a!, b!), inputs()),
      );
      expect(err, JSON.stringify(c)).toBeLessThan(1e-5);
    }
  });

  it('matches stock at model sizes (attention and the tied LM head, both directions)', async () => {
    const err = await maxErrorVsStock('wasm', () => [
      ...withGrads((q, k) => tf.matMul(q!, k!, false, true), [randomTensor(1, [2, 4, 64, 32]), randomTensor(2, [2, 4, 64, 32])]),
      ...withGrads((h, w) => tf.matMul(h!, w!, false, true), [randomTensor(3, [96, 128]), randomTensor(4, [512, 128])]),
    ]);
    expect(err).toBeLessThan(1e-5);
  });

  it('leaks no tensors or heap memory', async () => {
    await tf.setBackend('wasm');
    const a = randomTensor(1, [4, 8, 16]);
    const b = randomTensor(2, [4, 8, 16]);
    const run = () => tf.tidy(() => tf.grads((x, y) => tf.matMul(x!, y!, false, true).sum())([a, b])).forEach((t) => t.dispose());
    run();
    const before = tf.memory();
    for (let i = 0; i < 20; i++) run();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    tf.dispose([a, b]);
  });
});
