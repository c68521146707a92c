import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW, clipByGlobalNorm } from './adamw.js';
import { Gpt } from './gpt.js';
import { RewardModel } from './reward-model.js';
import { ids, leaked, TINY, useCpu } from './test-support.js';
import { makeLossTrainer, makeTrainer } from './train-step.js';
import { ValueHead } from './value-head.js';

beforeAll(useCpu);

describe('AdamW', () => {
  it('takes a first step of lr·sign(g), decaying matrices but not vectors (hand-checked)', () => {
    const matrix = tf.variable(tf.ones([1, 2]));
    const vector = tf.variable(tf.ones([2]));
    const opt = new AdamW([matrix, vector], { lr: 0.1, weightDecay: 0.1, eps: 0 });
    opt.apply([tf.tensor2d([[0.5, -2]]), tf.tensor1d([0.5, -2])]);
    // m̂ = g, v̂ = g² on step 1, so the Adam step is lr·g/|g|; decay multiplies by 1 − lr·wd = 0.99.
    const [m, v] = [matrix.dataSync(), vector.dataSync()];
    expect(m[0]).toBeCloseTo(0.99 - 0.1, 6);
    expect(m[1]).toBeCloseTo(0.99 + 0.1, 6);
    expect(v[0]).toBeCloseTo(0.9, 6);
    expect(v[1]).toBeCloseTo(1.1, 6);
    opt.dispose();
    tf.dispose([matrix, vector]);
  });

  it('frees all its state on dispose (a long-lived trainer process runs many)', () => {
    const model = new Gpt(TINY, { seed: 3 });
    const before = tf.memory().numTensors;
    new AdamW(model.variables(), { lr: 1e-3 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('follows a learning-rate schedule of the step number', () => {
    const p = tf.variable(tf.zeros([1]));
    const seen: number[] = [];
    const opt = new AdamW([p], { lr: (step) => (seen.push(step), 0.01 * step) });
    for (let i = 0; i < 3; i++) opt.apply([tf.ones([1])]);
    expect(seen).toEqual([1, 2, 3]);
    expect(p.dataSync()[0]).toBeCloseTo(-(0.01 + 0.02 + 0.03), 5);
    opt.dispose();
    p.dispose();
  });
});

describe('clipByGlobalNorm', () => {
  it('scales gradients to the max norm and reports the norm before clipping', () => {
    const { grads, norm } = clipByGlobalNorm([tf.tensor1d([3]), tf.tensor1d([4])], 1);
    expect(norm.dataSync()[0]).toBeCloseTo(5, 5);
    expect(grads[0].dataSync()[0]).toBeCloseTo(0.6, 5);
    expect(grads[1].dataSync()[0]).toBeCloseTo(0.8, 5);
    const under = clipByGlobalNorm([tf.tensor1d([0.3])], 1);
    expect(under.grads[0].dataSync()[0]).toBeCloseTo(0.3, 5);
  });
});

describe('trainers', () => {
  it('makeTrainer keeps the tensor count flat over steps and reports the gradient norm', () => {
    const model = new Gpt({ ...TINY, dropout: 0.1 }, { seed: 1 });
    const trainer = makeTrainer(model, { lr: 1e-3, betas: [0.9, 0.95], weightDecay: 0.1, gradClip: 1 });
    const [idx, tgt] = [ids([[1, 2, 3, 4]]), ids([[2, 3, 4, 5]])];
    const mask = tf.tensor2d([[0, 1, 1, 1]]);
    trainer.step(idx, tgt, mask);
    const { leaked: n } = leaked(() => {
      for (let i = 0; i < 10; i++) trainer.step(idx, tgt, mask);
    });
    expect(n).toBe(0);
    expect(trainer.steps).toBe(11);
    expect(trainer.lastGradNorm).toBeGreaterThan(0);
    const before = tf.memory().numTensors;
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before - 2 * model.variables().length); // m and v freed
    model.dispose();
  });

  it('makeLossTrainer trains any scalar loss, e.g. Bradley–Terry on a reward model', () => {
    const rm = new RewardModel(TINY, { seed: 2 });
    const trainer = makeLossTrainer(rm.variables(), { lr: 1e-2, gradClip: 1 });
    const pair = ids([
      [1, 2, 3, 4],
      [1, 2, 9, 9],
    ]);
    const btLoss = () =>
      tf.tidy(() => {
        const [chosen, rejected] = tf.unstack(rm.score(pair, [4, 4]));
        // −log σ(c − r) = softplus(r − c). Not tf.logSigmoid: its gradient reads its input from a closure,
        // which a tidy inside variableGrads has already freed (tfjs 4.22).
        return tf.softplus(rejected.sub(chosen)) as tf.Scalar;
      });
    const first = trainer.step(btLoss);
    let last = first;
    const { leaked: n } = leaked(() => {
      for (let i = 0; i < 15; i++) last = trainer.step(btLoss);
    });
    expect(last).toBeLessThan(first / 4);
    expect(n).toBe(0);
    trainer.dispose();
    rm.dispose();
  });

  it('trains a value head together with the policy it reads', () => {
    const policy = new Gpt(TINY, { seed: 3 });
    const head = new ValueHead(16, { seed: 4 });
    const trainer = makeLossTrainer([...policy.variables(), ...head.variables()], { lr: 1e-2 });
    const idx = ids([[1, 2, 3]]);
    const target = tf.tensor2d([[0.5, -0.5, 1]]);
    const mse = () => tf.tidy(() => head.forward(policy.forward(idx).hidden).sub(target).square().mean() as tf.Scalar);
    const first = trainer.step(mse);
    let last = first;
    for (let i = 0; i < 20; i++) last = trainer.step(mse);
    expect(last).toBeLessThan(first / 4);
    trainer.dispose();
    policy.dispose();
    head.dispose();
  });
});
