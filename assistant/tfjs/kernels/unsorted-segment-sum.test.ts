import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { maxErrorVsStock, preparePatched, randomTensor, rng, withGrads } from './compare.js';
import { isPatched } from './registry.js';

const TOL = 1e-5;

interface Case {
  rows: number;
  inner: number[];
  numSegments: number;
  seed: number;
}

/** Random cases, plus edge cases: empty input, one segment, ids out of range (dropped), rank-2 ids. */
function cases(): Case[] {
  const rand = rng(7);
  const random = Array.from({ length: 8 }, (_, i) => ({
    rows: 1 + Math.floor(rand() * 40),
    inner: [[], [1], [5], [3, 4]][i % 4]!,
    numSegments: 1 + Math.floor(rand() * 30),
    seed: i,
  }));
  return [...random, { rows: 0, inner: [4], numSegments: 3, seed: 100 }, { rows: 6, inner: [2], numSegments: 1, seed: 101 }];
}

/** Ids in [-1, numSegments): -1 is dropped, as by stock (whose gradient only allows negative strays). */
function ids(c: Case): tf.Tensor1D {
  const rand = rng(c.seed + 1000);
  const v = Int32Array.from({ length: c.rows }, () => Math.floor(rand() * (c.numSegments + 1)) - 1);
  return tf.tensor1d(v, 'int32');
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`UnsortedSegmentSum on ${backend}`, () => {
    beforeAll(async () => {
      await preparePatched(backend);
      expect(isPatched('UnsortedSegmentSum', backend)).toBe(true);
    });

    it('matches the stock cpu kernel: values and gradient', async () => {
      for (const c of cases()) {
        const err = await maxErrorVsStock(backend, () =>
          withGrads((x) => tf.unsortedSegmentSum(x, ids(c), c.numSegments), [randomTensor(c.seed, [c.rows, ...c.inner])]),
        );
        expect(err, JSON.stringify(c)).toBeLessThan(TOL);
      }
    });

    it('drops ids ≥ numSegments like stock (forward; stock has no gradient for them)', async () => {
      const err = await maxErrorVsStock(backend, () =>
        tf.unsortedSegmentSum(randomTensor(5, [6, 3]), tf.tensor1d([0, 3, 1, 7, 2, 0], 'int32'), 3),
      );
      expect(err).toBeLessThan(TOL);
    });

    it('sums int32 values and rank-2 ids (TensorFlow semantics; stock cpu cannot do rank-2 ids)', async () => {
      await tf.setBackend(backend);
      const x = tf.tensor3d(Int32Array.from({ length: 12 }, (_, i) => i - 5), [2, 3, 2], 'int32'); // rows -5..6
      const s = tf.tensor2d([0, 2, 2, 1, 0, 5], [2, 3], 'int32') as unknown as tf.Tensor1D; // tfjs types ids as 1-D; TF allows any rank
      const y = tf.unsortedSegmentSum(x, s, 3);
      expect(y.dtype).toBe('int32');
      expect(y.shape).toEqual([3, 2]);
      // segment 0: rows 0 and 4; 1: row 3; 2: rows 1 and 2; row 5 (id 5) dropped.
      expect(Array.from(y.dataSync())).toEqual([-5 + 3, -4 + 4, 1, 2, -3 + -1, -2 + 0]);
      tf.dispose([x, s, y]);
    });

    it('makes embedding (gather) gradients match stock', async () => {
      const err = await maxErrorVsStock(backend, () => {
        const table = randomTensor(3, [50, 8]);
        const idx = tf.tensor2d(Int32Array.from({ length: 64 }, (_, i) => (i * 37) % 50), [8, 8], 'int32');
        return withGrads((t) => tf.gather(t, idx), [table]);
      });
      expect(err).toBeLessThan(TOL);
    });
  });
}
