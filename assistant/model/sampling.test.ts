import { describe, expect, it } from 'vitest';
import { argmax, checkSampleOptions, sampleToken, seededRandom } from './sampling.js';

const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)];

function histogram(options: Parameters<typeof sampleToken>[1], n = 4000): number[] {
  const random = seededRandom(42);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) counts[sampleToken(logits, options, random)]++;
  return counts.map((c) => c / n);
}

describe('sampleToken', () => {
  it('is argmax at temperature 0, first index on ties', () => {
    expect(sampleToken([0, 3, 3, 1], { temperature: 0 }, Math.random)).toBe(1);
    expect(argmax([2, 2])).toBe(0);
  });

  it('follows softmax(logits) at temperature 1', () => {
    histogram({}).forEach((p, i) => expect(p).toBeCloseTo([0.5, 0.3, 0.15, 0.05][i], 1));
  });

  it('sharpens with a low temperature', () => {
    expect(histogram({ temperature: 0.25 })[0]).toBeGreaterThan(0.85);
  });

  it('keeps only the k most likely tokens with top-k', () => {
    const h = histogram({ topK: 2 });
    expect(h[2] + h[3]).toBe(0);
    expect(h[0]).toBeCloseTo(0.5 / 0.8, 1);
  });

  it('keeps the smallest set reaching p with top-p', () => {
    const h = histogram({ topP: 0.75 }); // 0.5 < 0.75 ≤ 0.5 + 0.3: tokens 0 and 1
    expect(h[2] + h[3]).toBe(0);
    expect(h[1]).toBeGreaterThan(0.3);
    expect(histogram({ topP: 0.4 })[0]).toBe(1); // the top token alone already reaches 0.4
  });

  it('is reproducible from a seed', () => {
    const draw = () => {
      const r = seededRandom(7);
      return Array.from({ length: 20 }, () => sampleToken(logits, {}, r));
    };
    expect(draw()).toEqual(draw());
  });

  it('rejects options that make no sense, saying what to use', () => {
    expect(() => checkSampleOptions({ temperature: -1 })).toThrow(/use 0 \(greedy\) or a positive number/);
    expect(() => checkSampleOptions({ topK: 1.5 })).toThrow(/topK/);
    expect(() => checkSampleOptions({ topP: 1.2 })).toThrow(/topP/);
  });
});
