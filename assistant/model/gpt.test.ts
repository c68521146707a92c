import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy } from './cross-entropy.js';
import { Gpt } from './gpt.js';
import { ids, leaked, TINY, useCpu } from './test-support.js';
import { makeTrainer } from './train-step.js';

let model: Gpt;
beforeAll(async () => {
  await useCpu();
  model = new Gpt(TINY, { seed: 1 });
});
afterAll(() => model.dispose());

/** log-softmax of one row, in plain JS. */
function logSoftmax(row: number[]): number[] {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
  return row.map((v) => v - lse);
}

describe('Gpt.forward', () => {
  it('is causal: changing a later token leaves earlier logits unchanged', () => {
    const a = model.forward(ids([[1, 2, 3, 4, 5, 6]])).logits;
    const b = model.forward(ids([[1, 2, 3, 9, 5, 6]])).logits;
    const [la, lb] = [a.arraySync()[0], b.arraySync()[0]];
    for (let t = 0; t < 3; t++) expect(lb[t]).toEqual(la[t]);
    for (let t = 3; t < 6; t++) expect(lb[t]).not.toEqual(la[t]);
  });

  it('gives a left-padded row the same logits as the row alone', () => {
    const alone = model.forward(ids([[3, 4, 5]])).logits.arraySync()[0];
    const padded = model.forward(ids([[0, 0, 3, 4, 5]]), { padLeft: [2] }).logits.arraySync()[0];
    for (let t = 0; t < 3; t++) {
      alone[t].forEach((v, j) => expect(padded[t + 2][j]).toBeCloseTo(v, 5));
    }
  });

  it('refuses more positions than blockSize, saying to crop', () => {
    const long = ids([Array.from({ length: 17 }, () => 1)]);
    expect(() => model.forward(long)).toThrow(/exceed blockSize 16: crop the context from the left/);
  });
});

describe('Gpt.loss', () => {
  const idx = [[1, 2, 3, 4]];
  const tgt = [[2, 3, 4, 5]];

  it('is the mean cross-entropy over positions where mask = 1 (hand-checked)', () => {
    const logits = model.forward(ids(idx)).logits.arraySync()[0];
    const ce = logits.map((row, t) => -logSoftmax(row)[tgt[0][t]]);
    const mask = tf.tensor2d([[1, 0, 1, 0]]);
    expect(model.loss(ids(idx), ids(tgt), mask).dataSync()[0]).toBeCloseTo((ce[0] + ce[2]) / 2, 5);
    expect(model.loss(ids(idx), ids(tgt)).dataSync()[0]).toBeCloseTo(ce.reduce((a, b) => a + b) / 4, 5);
  });

  it('ignores targets at masked positions, and an all-zero mask gives 0', () => {
    const mask = tf.tensor2d([[1, 0, 1, 0]]);
    const a = model.loss(ids(idx), ids(tgt), mask).dataSync()[0];
    const b = model.loss(ids(idx), ids([[2, 9, 4, 11]]), mask).dataSync()[0];
    expect(b).toBe(a);
    expect(model.loss(ids(idx), ids(tgt), tf.zeros([1, 4]) as tf.Tensor2D).dataSync()[0]).toBe(0);
  });
});

describe('crossEntropy', () => {
  it('matches log-softmax values and gradients', () => {
    const logits = tf.tensor2d([
      [1, 2, 3, 0.5],
      [-1, 0, 4, 2],
      [0, 0, 0, 0],
    ]);
    const targets = tf.tensor1d([2, 0, 3], 'int32');
    const onehot = tf.oneHot(targets, 4, 1, 0, 'float32');
    const reference = (l: tf.Tensor) => tf.logSoftmax(l).mul(onehot).sum(1).neg();
    const ref = reference(logits).dataSync();
    crossEntropy(logits, targets).dataSync().forEach((v, i) => expect(v).toBeCloseTo(ref[i], 5));
    const w = tf.tensor1d([1, 2, 3]); // weight rows differently so dy is not uniform
    const ours = tf.grad((l: tf.Tensor) => crossEntropy(l as tf.Tensor2D, targets).mul(w).sum())(logits);
    const theirs = tf.grad((l: tf.Tensor) => reference(l).mul(w).sum())(logits);
    const [o, t] = [ours.dataSync(), theirs.dataSync()];
    o.forEach((v, i) => expect(v).toBeCloseTo(t[i], 5));
  });
});

describe('crossEntropy inside tidy', () => {
  it('keeps targets made inside a tidy alive for the backward pass', () => {
    const logits = tf.variable(tf.tensor2d([
      [1, 2, 3, 0.5],
      [0, 1, 0, 2],
    ]));
    const loss = () => tf.tidy(() => crossEntropy(logits, tf.tensor1d([2, 1], 'int32')).sum() as tf.Scalar);
    const { value, grads } = tf.variableGrads(loss, [logits]);
    const g = grads[logits.name].arraySync() as number[][];
    expect(g[0][2]).toBeLessThan(0); // −(1 − p) at the target
    expect(g[1][1]).toBeLessThan(0);
    expect(g[0][0]).toBeGreaterThan(0);
    tf.dispose([value, grads, logits]);
  });
});

describe('training', () => {
  it('overfits a tiny corpus: loss < 0.05 after 60 AdamW steps, without leaking tensors', () => {
    // Two fixed 8-token sequences a next-token model can memorize exactly.
    const corpus = [
      [1, 5, 2, 7, 3, 9, 4, 11, 6],
      [8, 3, 12, 1, 14, 2, 10, 5, 13],
    ];
    const tiny = new Gpt(TINY, { seed: 2 });
    const trainer = makeTrainer(tiny, { lr: 2e-2, betas: [0.9, 0.95], gradClip: 1 });
    const idx = ids(corpus.map((r) => r.slice(0, 8)));
    const tgt = ids(corpus.map((r) => r.slice(1)));
    const first = trainer.step(idx, tgt);
    const { result: last, leaked: n } = leaked(() => {
      let loss = first;
      for (let i = 1; i < 60; i++) loss = trainer.step(idx, tgt);
      return loss;
    });
    expect(first).toBeGreaterThan(2); // ≈ ln 16 at init
    expect(last).toBeLessThan(0.05);
    expect(n).toBe(0);
    trainer.dispose();
    tiny.dispose();
  });
});
