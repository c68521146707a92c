import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CausalSelfAttention } from './attention.js';
import { Block } from './block.js';
import { gptConfig } from './config.js';
import { Gpt } from './gpt.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';
import { Mlp } from './mlp.js';
import { ParamStore } from './params.js';
import { RewardModel } from './reward-model.js';
import { ids, TINY, useCpu } from './test-support.js';
import { GptTrunk } from './trunk.js';
import { ValueHead } from './value-head.js';

const config = gptConfig(TINY); // V=16, blockSize=16, L=2, nH=2, C=16
const store = new ParamStore(1);
const B = 2;
const T = 5;
let x: tf.Tensor3D;

beforeAll(async () => {
  await useCpu();
  x = tf.randomNormal([B, T, config.nEmbd], 0, 1, 'float32', 7) as tf.Tensor3D;
});
afterAll(() => {
  x.dispose();
  store.dispose();
});

describe('module output shapes', () => {
  it('LayerNorm keeps [B,T,C] and normalizes each position', () => {
    const y = new LayerNorm(store, 'ln', config.nEmbd).forward(x);
    expect(y.shape).toEqual([B, T, 16]);
    const { mean, variance } = tf.moments(y, -1);
    expect(Math.max(...(mean.abs().dataSync() as Float32Array))).toBeLessThan(1e-5);
    for (const v of variance.dataSync()) expect(v).toBeCloseTo(1, 3);
    tf.dispose([y, mean, variance]);
  });

  it('Linear maps [N,in] to [N,out]', () => {
    const y = new Linear(store, 'lin', 16, 5, 0.02).forward(x.reshape([B * T, 16]));
    expect(y.shape).toEqual([B * T, 5]);
    y.dispose();
  });

  it('attention, MLP and block keep [B,T,C]', () => {
    const bias = tf.zeros([T, T]);
    const attn = new CausalSelfAttention(store, 'a', 0, config).forward(x, { bias, training: false });
    const mlp = new Mlp(store, 'm', config).forward(x, false);
    const block = new Block(store, 0, config).forward(x, { bias, training: false });
    for (const y of [attn, mlp, block]) expect(y.shape).toEqual([B, T, 16]);
    tf.dispose([bias, attn, mlp, block]);
  });

  it('trunk, GPT, value head and reward model', () => {
    const trunkStore = new ParamStore(2);
    const trunk = new GptTrunk(trunkStore, config);
    const gpt = new Gpt(TINY, { seed: 3 });
    const head = new ValueHead(16, { seed: 4 });
    const rm = new RewardModel(TINY, { seed: 5 });
    const idx = ids([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10],
    ]);
    const hidden = trunk.forward(idx);
    const out = gpt.forward(idx);
    const values = head.forward(out.hidden);
    const scores = rm.score(idx, [5, 3]);
    expect(hidden.shape).toEqual([B, T, 16]);
    expect(out.logits.shape).toEqual([B, T, 16]);
    expect(out.hidden.shape).toEqual([B, T, 16]);
    expect(values.shape).toEqual([B, T]);
    expect(scores.shape).toEqual([B]);
    tf.dispose([idx, hidden, out.logits, out.hidden, values, scores]);
    trunk.dispose();
    trunkStore.dispose();
    for (const m of [gpt, head, rm]) m.dispose();
  });
});

describe('Gpt parameters', () => {
  it('counts 12C²+13C per block plus embeddings and the final LayerNorm (LM head tied)', () => {
    const gpt = new Gpt(TINY);
    const { vocabSize: V, blockSize: S, nLayer: L, nEmbd: C } = config;
    expect(gpt.numParams()).toBe(V * C + S * C + L * (12 * C * C + 13 * C) + 2 * C);
    expect([...gpt.namedVariables().keys()].filter((n) => n.includes('lm'))).toEqual([]);
    gpt.dispose();
  });

  it('uses GPT-2 init: N(0, 0.02), residual projections N(0, 0.02/√(2·nLayer)), zero biases, unit gains', () => {
    const gpt = new Gpt({ vocabSize: 512, blockSize: 64, nLayer: 8, nHead: 4, nEmbd: 128 }, { seed: 11 });
    const p = gpt.namedVariables();
    const std = (name: string): number => Math.sqrt(tf.moments(p.get(name)!).variance.dataSync()[0]);
    expect(std('wte')).toBeCloseTo(0.02, 3);
    expect(std('h.0.attn.cAttn.w')).toBeCloseTo(0.02, 3);
    expect(std('h.3.attn.cProj.w')).toBeCloseTo(0.02 / 4, 3);
    expect(std('h.3.mlp.cProj.w')).toBeCloseTo(0.02 / 4, 3);
    expect(p.get('h.0.mlp.cFc.b')!.abs().sum().dataSync()[0]).toBe(0);
    expect(p.get('lnF.g')!.dataSync().every((v) => v === 1)).toBe(true);
    gpt.dispose();
  });

  it('is reproducible from a seed and differs across seeds', () => {
    const [a, b, c] = [new Gpt(TINY, { seed: 9 }), new Gpt(TINY, { seed: 9 }), new Gpt(TINY, { seed: 10 })];
    const w = (m: Gpt) => m.namedVariables().get('h.1.attn.cAttn.w')!.dataSync();
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    for (const m of [a, b, c]) m.dispose();
  });

  it('frees every tensor it made on dispose', () => {
    const before = tf.memory().numTensors;
    new Gpt(TINY).dispose();
    new RewardModel(TINY).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
