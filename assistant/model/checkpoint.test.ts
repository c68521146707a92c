import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  loadGpt,
  loadRewardModel,
  loadValueHead,
  sha256,
} from './checkpoint.js';
import { Gpt } from './gpt.js';
import { RewardModel } from './reward-model.js';
import { ids, TINY, useCpu } from './test-support.js';
import { ValueHead } from './value-head.js';

beforeAll(useCpu);

const input = [
  [1, 2, 3, 4],
  [5, 6, 7, 8],
];

describe('checkpoints', () => {
  it('round-trip a Gpt: the loaded model gives identical logits and the same bytes', () => {
    const model = new Gpt(TINY, { seed: 1 });
    const bytes = encodeCheckpoint(model, { step: 12 });
    const loaded = loadGpt(bytes);
    expect(loaded.config).toEqual(model.config);
    expect(loaded.forward(ids(input)).logits.dataSync()).toEqual(model.forward(ids(input)).logits.dataSync());
    expect(sha256(encodeCheckpoint(loaded, { step: 12 }))).toBe(sha256(bytes));
    expect(decodeCheckpoint(bytes).header.meta).toEqual({ step: 12 });
    model.dispose();
    loaded.dispose();
  });

  it('changes its sha256 when one weight changes', () => {
    const model = new Gpt(TINY, { seed: 1 });
    const before = sha256(encodeCheckpoint(model));
    expect(sha256(encodeCheckpoint(model))).toBe(before);
    const w = model.namedVariables().get('h.1.mlp.cFc.b')!;
    w.assign(tf.tidy(() => w.add(tf.oneHot([3], w.shape[0]).reshape(w.shape).mul(1e-3))));
    expect(sha256(encodeCheckpoint(model))).not.toBe(before);
    expect(sha256(new Uint8Array([1, 2, 3]))).toMatch(/^[0-9a-f]{64}$/);
    model.dispose();
  });

  it('round-trip a reward model and a value head', () => {
    const rm = new RewardModel(TINY, { seed: 2 });
    const rm2 = loadRewardModel(encodeCheckpoint(rm));
    expect(rm2.score(ids(input), [4, 2]).dataSync()).toEqual(rm.score(ids(input), [4, 2]).dataSync());
    const head = new ValueHead(16, { seed: 3 });
    const head2 = loadValueHead(encodeCheckpoint(head));
    const h = tf.randomNormal([1, 2, 16]) as tf.Tensor3D;
    expect(head2.forward(h).dataSync()).toEqual(head.forward(h).dataSync());
    for (const m of [rm, rm2, head, head2]) m.dispose();
  });

  it('reads bytes at any alignment without aliasing them', () => {
    const model = new Gpt(TINY, { seed: 1 });
    const bytes = encodeCheckpoint(model);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const loaded = loadGpt(shifted);
    shifted.fill(0);
    expect(loaded.forward(ids(input)).logits.dataSync()).toEqual(model.forward(ids(input)).logits.dataSync());
    model.dispose();
    loaded.dispose();
  });

  it('refuses other bytes and the wrong kind with a message saying what to do', () => {
    const model = new Gpt(TINY);
    const bytes = encodeCheckpoint(model);
    expect(() => loadGpt(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(/not a Rapport checkpoint/);
    expect(() => loadGpt(bytes.subarray(0, bytes.length - 8))).toThrow(/runs past the end/);
    expect(() => loadRewardModel(bytes)).toThrow(/holds a gpt, not a reward-model/);
    model.dispose();
  });
});
