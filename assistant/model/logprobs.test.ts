import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gpt } from './gpt.js';
import { tokenLogprobs } from './logprobs.js';
import { ids, TINY, useCpu } from './test-support.js';

let model: Gpt;
beforeAll(async () => {
  await useCpu();
  model = new Gpt(TINY, { seed: 6 });
});
afterAll(() => model.dispose());

function logSoftmax(row: number[]): number[] {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
  return row.map((v) => v - lse);
}

describe('tokenLogprobs', () => {
  it('equals log-softmax gathered by hand on a 3-token example', () => {
    const seq = [4, 9, 2]; // prompt [4], response [9, 2]
    const logits = model.forward(ids([seq])).logits.arraySync()[0];
    const expected = [0, logSoftmax(logits[0])[9], logSoftmax(logits[1])[2]];
    const got = tokenLogprobs(model, ids([seq]), tf.tensor2d([[0, 1, 1]])).arraySync()[0];
    got.forEach((v, t) => expect(v).toBeCloseTo(expected[t], 5));
  });

  it('is zero where the mask is zero', () => {
    const got = tokenLogprobs(model, ids([[4, 9, 2]]), tf.tensor2d([[0, 0, 1]])).arraySync()[0];
    expect(Math.abs(got[1])).toBe(0);
    expect(got[2]).toBeLessThan(0);
  });

  it('scores a left-padded row like the row alone', () => {
    const alone = tokenLogprobs(model, ids([[4, 9, 2]]), tf.tensor2d([[0, 1, 1]])).arraySync()[0];
    const padded = tokenLogprobs(model, ids([[0, 0, 4, 9, 2]]), tf.tensor2d([[0, 0, 0, 1, 1]]), {
      padLeft: [2],
    }).arraySync()[0];
    expect(padded.slice(0, 3).map(Math.abs)).toEqual([0, 0, 0]);
    padded.slice(2).forEach((v, t) => expect(v).toBeCloseTo(alone[t], 5));
  });

  it('is differentiable (a PPO loss can use it directly)', () => {
    const { value, grads } = tf.variableGrads(
      () => tokenLogprobs(model, ids([[4, 9, 2]]), tf.tensor2d([[0, 1, 1]])).sum() as tf.Scalar,
      model.variables(),
    );
    const norm = tf.addN(Object.values(grads).map((g) => g.square().sum())).dataSync()[0];
    expect(norm).toBeGreaterThan(0);
    tf.dispose([value, grads]);
  });
});
