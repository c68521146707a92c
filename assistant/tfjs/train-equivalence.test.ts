/**
 * End to end: the assistant's GPT trains the same on our patched backends as on tfjs's stock cpu
 * backend (same losses step by step, no tensor leak), so the kernels are interchangeable in practice.
 */
import { describe, expect, it } from 'vitest';
import { Gpt } from '../model/gpt.js';
import { makeTrainer } from '../model/train-step.js';
import { preparePatched } from './kernels/compare.js';
import { CPU_STOCK, ensureCpuStock } from './kernels/registry.js';
import { loadNative } from './native/load.js';
import { tf } from './tf.js';

const CONFIG = { vocabSize: 64, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16 };
const STEPS = 4;

async function losses(backend: string): Promise<{ losses: number[]; leaked: number }> {
  await tf.setBackend(backend);
  const model = new Gpt(CONFIG, { seed: 7 });
  const trainer = makeTrainer(model, { lr: 1e-2, weightDecay: 0.1, gradClip: 1 });
  const ids = Int32Array.from({ length: 2 * 17 }, (_, i) => (i * 29 + 3) % CONFIG.vocabSize);
  const rows = tf.tensor2d(ids, [2, 17], 'int32');
  const idx = rows.slice([0, 0], [2, 16]) as tf.Tensor2D;
  const targets = rows.slice([0, 1], [2, 16]) as tf.Tensor2D;
  const mask = tf.tensor2d(Float32Array.from({ length: 32 }, (_, i) => (i % 16 >= 4 ? 1 : 0)), [2, 16]);
  const out: number[] = [trainer.step(idx, targets, mask)];
  const before = tf.memory().numTensors;
  for (let i = 1; i < STEPS; i++) out.push(trainer.step(idx, targets, mask));
  const leaked = tf.memory().numTensors - before;
  trainer.dispose();
  model.dispose();
  tf.dispose([rows, idx, targets, mask]);
  return { losses: out, leaked };
}

describe('training the GPT on patched backends', () => {
  const native = loadNative();
  const setups: [string, () => Promise<string>][] = [
    ['wasm + our kernels', async () => (await preparePatched('wasm'), 'wasm')],
    [`cpu + our kernels${native.kernels ? ' + native' : ''}`, async () => (await preparePatched('cpu', native.kernels), 'cpu')],
  ];
  for (const [name, setup] of setups) {
    it(`${name}: same losses as stock cpu, step by step, and no tensor leak`, async () => {
      ensureCpuStock();
      const want = await losses(CPU_STOCK);
      const got = await losses(await setup());
      expect(got.leaked).toBe(0);
      expect(want.losses[STEPS - 1]).toBeLessThan(want.losses[0]); // it does learn
      got.losses.forEach((l, i) => expect(Math.abs(l - want.losses[i]!) / want.losses[i]!, `step ${i}`).toBeLessThan(1e-4));
    });
  }
});
