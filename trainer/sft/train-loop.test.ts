import { beforeAll, describe, expect, it } from 'vitest';
import { Gpt } from '../../assistant/model/index.js';
import { initTfjs, tf } from '../../assistant/tfjs/index.js';
import type { Example } from './examples.js';
import { type LogPoint, trainLoop } from './train-loop.js';

beforeAll(async () => {
  await initTfjs({ log: () => {} });
});

const CONFIG = { steps: 30, batchSize: 4, lr: 1e-2, warmupSteps: 3, minLrRatio: 0.1, weightDecay: 0, gradClip: 1, seed: 1, logEvery: 10 };

/** Prompt tokens 1..4 then a fixed 3-token answer per prompt: learnable only on the masked part. */
function examples(): Example[] {
  return [
    { ids: [1, 2, 9, 10, 11], mask: [0, 0, 1, 1, 1] },
    { ids: [3, 4, 12, 13, 14, 15], mask: [0, 0, 1, 1, 1, 1] },
    { ids: [5, 6, 7, 9, 10], mask: [0, 0, 0, 1, 1] },
  ];
}

describe('trainLoop', () => {
  it('lowers the loss, logs first/every-N/last points and keeps the tensor count flat', async () => {
    const before = tf.memory().numTensors;
    const model = new Gpt({ vocabSize: 20, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 }, { seed: 3 });
    const logged: LogPoint[] = [];
    const result = await trainLoop({ model, examples: examples(), padId: 0, config: CONFIG, onLog: (p) => void logged.push(p) });
    expect(logged.map((p) => p.step)).toEqual([1, 10, 20, 30]);
    expect(result.curve).toEqual(logged);
    expect(result.finalLoss).toBeLessThan(result.firstLoss / 3);
    expect(result.tensorGrowth).toBe(0);
    expect(logged.every((p) => p.tokensPerSecond > 0 && p.gradNorm > 0)).toBe(true);
    const params = model.variables().length;
    model.dispose();
    // Every batch (3 tensors × 30 steps) was freed. What remains is assistant/model's own: AdamW keeps
    // the zerosLike tensors its moment variables were made from (2 per parameter), and the first
    // forward pass leaves one tensor; this bound fails as soon as a batch leaks.
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(2 * params + 1);
  });

  it('stops with an actionable error when the loss diverges', async () => {
    const model = new Gpt({ vocabSize: 20, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 }, { seed: 3 });
    const run = trainLoop({ model, examples: examples(), padId: 0, config: { ...CONFIG, steps: 5, lr: 1e30, warmupSteps: 0, gradClip: 1e30 } });
    await expect(run).rejects.toThrow(/loss became .* lower lr/);
    model.dispose();
  });
});
