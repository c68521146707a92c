import { beforeAll, describe, expect, it } from 'vitest';
import { Gpt } from '../../assistant/model/index.js';
import { tf } from '../../assistant/tfjs/index.js';
import { collate } from '../sft/batches.js';
import { answerLoss, answerPositions } from './answer-loss.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const examples = [
  { ids: [1, 2, 3, 4, 5, 6], mask: [0, 0, 0, 1, 1, 1] },
  { ids: [7, 8, 9, 10], mask: [0, 0, 1, 1] },
];

describe('answerLoss', () => {
  it('lists the answer positions of a padded batch', () => {
    const batch = collate(examples, 0); // T = 5; row 0 targets 2..6 (mask 0,0,1,1,1), row 1 targets 8,9,10 (0,1,1), padding
    const { positions, targets } = answerPositions(batch);
    expect([...positions]).toEqual([2, 3, 4, 6, 7]);
    expect([...targets]).toEqual([4, 5, 6, 9, 10]);
  });

  it('equals Gpt.loss with the answer mask, and leaks no tensor', () => {
    const model = new Gpt({ vocabSize: 16, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 }, { seed: 3 });
    const batch = collate(examples, 0);
    const expected = tf.tidy(() =>
      model
        .loss(tf.tensor2d(batch.idx, [batch.B, batch.T], 'int32'), tf.tensor2d(batch.targets, [batch.B, batch.T], 'int32'), tf.tensor2d(batch.mask, [batch.B, batch.T]))
        .dataSync()[0]!,
    );
    const before = tf.memory().numTensors;
    const loss = answerLoss(model, batch, false);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // and its gradient reaches the weights
    const { grads } = tf.variableGrads(() => answerLoss(model, batch), model.variables());
    expect(Object.keys(grads).length).toBe(model.variables().length);
    tf.dispose(grads);
    model.dispose();
  });
});
