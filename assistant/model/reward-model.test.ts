import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gpt } from './gpt.js';
import { RewardModel } from './reward-model.js';
import { ids, TINY, useCpu } from './test-support.js';

let rm: RewardModel;
beforeAll(async () => {
  await useCpu();
  rm = new RewardModel(TINY, { seed: 8 });
});
afterAll(() => rm.dispose());

describe('RewardModel.score', () => {
  it('reads the score head at the last real token', () => {
    const idx = ids([[3, 1, 4, 1, 5]]);
    const hidden = rm.trunk.forward(idx); // [1,5,C]
    const atEnd = (t: number) =>
      rm.scoreHead.forward(hidden.slice([0, t, 0], [1, 1, 16]).reshape([1, 16]) as tf.Tensor2D).dataSync()[0];
    expect(rm.score(idx, [5]).dataSync()[0]).toBeCloseTo(atEnd(4), 5);
    expect(rm.score(idx, [3]).dataSync()[0]).toBeCloseTo(atEnd(2), 5);
  });

  it('is not changed by right padding, whatever the pad tokens', () => {
    const alone = rm.score(ids([[3, 1, 4]]), [3]).dataSync()[0];
    const padded = rm.score(ids([[3, 1, 4, 0, 0, 0], [3, 1, 4, 9, 12, 7]]), [3, 3]).dataSync();
    expect(padded[0]).toBeCloseTo(alone, 5);
    expect(padded[1]).toBeCloseTo(alone, 5);
    const asTensor = rm.score(ids([[3, 1, 4, 0]]), tf.tensor1d([3], 'int32')).dataSync()[0];
    expect(asTensor).toBeCloseTo(alone, 5);
  });

  it('scores a left-padded row like the row alone', () => {
    const alone = rm.score(ids([[3, 1, 4]]), [3]).dataSync()[0];
    const padded = rm.score(ids([[0, 0, 3, 1, 4, 0]]), [3], { padLeft: [2] }).dataSync()[0];
    expect(padded).toBeCloseTo(alone, 5);
  });

  it('starts from the policy trunk with fromPolicy', () => {
    const policy = new Gpt(TINY, { seed: 9 });
    const fromPolicy = RewardModel.fromPolicy(policy);
    const idx = ids([[2, 7, 1]]);
    expect(fromPolicy.trunk.forward(idx).dataSync()).toEqual(policy.forward(idx).hidden.dataSync());
    policy.dispose();
    fromPolicy.dispose();
  });

  it('rejects lengths outside the sequence', () => {
    expect(() => rm.score(ids([[1, 2]]), [3])).toThrow(/lengths 3 must be in 1..2/);
  });
});
