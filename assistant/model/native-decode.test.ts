import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuNativeKernels } from '../tfjs/host-arrays.js';
import { loadNative } from '../tfjs/native/load.js';
import { Decoder } from './decoder.js';
import { generate } from './generate.js';
import { Gpt } from './gpt.js';
import { LayerNorm } from './layer-norm.js';
import { gelu } from './mlp.js';
import { NativeDecodeState } from './native-decode.js';
import { seededRandom } from './sampling.js';
import { ParamStore } from './params.js';
import { ids, leaked, useCpu } from './test-support.js';
import { makeTrainer } from './train-step.js';

const native = loadNative().kernels;
// blockSize 150 > 64 and > 128: the cache grows twice while decoding to the end of the window.
const CONFIG = { vocabSize: 40, blockSize: 150, nLayer: 3, nHead: 2, nEmbd: 16 };

/** Largest |a - b| relative to the largest |b|. */
function relDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}

/** Last-column logits of each row from the tfjs forward over the whole left-padded window. */
function tfjsLastLogits(model: Gpt, rows: number[][]): Float32Array {
  const width = Math.max(...rows.map((r) => r.length));
  const padLeft = rows.map((r) => width - r.length);
  const padded = rows.map((r, b) => [...new Array<number>(padLeft[b]!).fill(0), ...r]);
  return tf.tidy(() => {
    const { logits } = model.forward(ids(padded), { padLeft }); // [B,T,V]
    const [B, T, V] = logits.shape;
    return logits.slice([0, T - 1, 0], [B, 1, V]).dataSync() as Float32Array;
  });
}

describe.skipIf(!native)('NativeDecodeState (the Decoder on plain arrays, cpu + native addon)', () => {
  let model: Gpt;
  const random = seededRandom(11);
  const rand = (n: number) => Array.from({ length: n }, () => Math.floor(random() * CONFIG.vocabSize));

  beforeAll(async () => {
    await useCpu();
    model = new Gpt(CONFIG, { seed: 7 });
  });
  afterAll(() => model.dispose());

  it("native layerNorm and gelu give the model's LayerNorm and gelu (tfjs ops)", () => {
    const rows = 37;
    const C = 48;
    const x = Float32Array.from({ length: rows * C }, (_, i) => (random() * 2 - 1) * (i % 7 === 0 ? 12 : 2) + (i % C === 0 ? 5 : 0));
    const store = new ParamStore(1);
    const ln = new LayerNorm(store, 'ln', C);
    ln.gain.assign(tf.randomNormal([C], 1, 0.3, 'float32', 2));
    ln.bias.assign(tf.randomNormal([C], 0, 0.3, 'float32', 3));
    const [wantLn, wantGelu] = tf.tidy(() => {
      const t = tf.tensor2d(x, [rows, C]);
      return [ln.forward(t).dataSync() as Float32Array, gelu(t).dataSync() as Float32Array];
    });
    const gotLn = new Float32Array(rows * C);
    native!.layerNorm(x, ln.gain.dataSync() as Float32Array, ln.bias.dataSync() as Float32Array, gotLn, rows, C, LayerNorm.eps);
    const gotGelu = new Float32Array(rows * C);
    native!.gelu(x, gotGelu);
    expect(relDiff(gotLn, wantLn)).toBeLessThan(1e-6);
    expect(relDiff(gotGelu, wantGelu)).toBeLessThan(1e-6);
    store.dispose();
  });

  it('is what the Decoder uses on the cpu backend with the addon built', () => {
    expect(cpuNativeKernels()).not.toBeNull();
  });

  it('gives the tfjs forward pass logits: prefill of left-padded rows, then one column per step', () => {
    const rows = [rand(9), rand(1), rand(5)];
    const state = new NativeDecodeState(model, native!, 3, rows.map((r) => 9 - r.length));
    const padded = rows.map((r) => [...new Array<number>(9 - r.length).fill(0), ...r]);
    let logits = state.forward(Int32Array.from(padded.flat()), 9); // [3·9] -> [3·V]
    for (let step = 0; step < 6; step++) {
      expect(relDiff(logits, tfjsLastLogits(model, rows))).toBeLessThan(1e-5);
      const next = rand(3);
      next.forEach((id, b) => rows[b]!.push(id));
      logits = state.forward(Int32Array.from(next), 1);
    }
    expect(state.length).toBe(15);
  });

  it('prefills in several chunks as in one (the cache grows past 64 and 128 positions)', () => {
    const row = rand(140);
    const state = new NativeDecodeState(model, native!, 1, [0]);
    state.forward(Int32Array.from(row.slice(0, 50)), 50);
    state.forward(Int32Array.from(row.slice(50, 100)), 50);
    const chunked = state.forward(Int32Array.from(row.slice(100)), 40);
    expect(relDiff(chunked, tfjsLastLogits(model, [row]))).toBeLessThan(1e-5);
    expect(() => state.forward(Int32Array.from(rand(11)), 11)).toThrow(/151 positions exceed blockSize 150/);
  });

  it('decodes the same greedy tokens as the tfjs cache and as no cache, across the window refill', () => {
    const prompts = [rand(30), rand(3)];
    const opts = { temperature: 0, maxNewTokens: 125 } as const; // past blockSize: the window is re-prefilled
    const fast = generate(model, prompts, opts);
    expect(fast.tokens).toEqual(generate(model, prompts, { ...opts, native: false }).tokens);
    expect(fast.tokens.map((t) => t.length)).toEqual([125, 125]);
    const short = { temperature: 0, maxNewTokens: 40 } as const;
    expect(generate(model, prompts, short).tokens).toEqual(generate(model, prompts, { ...short, useCache: false }).tokens);
  });

  it('gives the tfjs cache path logits step by step, through a refill of the window', () => {
    const prompt = rand(140);
    const fast = new Decoder(model, [prompt]);
    const slow = new Decoder(model, [prompt], { native: false });
    for (let step = 0; step < 14; step++) {
      expect(relDiff(fast.nextLogits(), slow.nextLogits())).toBeLessThan(1e-5);
      const next = rand(1);
      fast.push(next);
      slow.push(next);
    }
    fast.dispose();
    slow.dispose();
  });

  it('reads the weights anew each step: a training step between two steps is seen, as by the tfjs path', () => {
    const trained = new Gpt({ ...CONFIG, blockSize: 32 }, { seed: 3 });
    const trainer = makeTrainer(trained, { lr: 1e-2 });
    const prompt = rand(8);
    const fast = new Decoder(trained, [prompt]);
    const slow = new Decoder(trained, [prompt], { native: false });
    const before = fast.nextLogits();
    expect(relDiff(before, slow.nextLogits())).toBeLessThan(1e-5);
    const [idx, tgt] = [ids([rand(8)]), ids([rand(8)])];
    trainer.step(idx, tgt);
    fast.push([5]);
    slow.push([5]);
    const after = fast.nextLogits();
    expect(relDiff(after, slow.nextLogits())).toBeLessThan(1e-5);
    expect(relDiff(after, before)).toBeGreaterThan(1e-3);
    for (const d of [fast, slow]) d.dispose();
    tf.dispose([idx, tgt]);
    trainer.dispose();
    trained.dispose();
  });

  it('creates no tensor', () => {
    const { leaked: n } = leaked(() => generate(model, [rand(20), rand(4)], { maxNewTokens: 10, seed: 1 }));
    expect(n).toBe(0);
  });
});
