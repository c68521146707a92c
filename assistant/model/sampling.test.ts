import { describe, expect, it } from 'vitest';
import { argmax, checkSampleOptions, sampleToken, seededRandom } from './sampling.js';

const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)];

function histogram(options: Parameters<typeof sampleToken>[1], n = 4000): number[] {
  const random = seededRandom(42);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) counts[sampleToken(logits, options, random)]++;
  return counts.map((c) => c / n);
}

/** The sampler as first written (a comparator sort of every id): the reference for the fast one. */
function referenceSample(logits: ArrayLike<number>, options: Parameters<typeof sampleToken>[1], random: () => number): number {
  const { temperature = 1, topK = 0, topP = 1 } = options;
  const V = logits.length;
  if (temperature === 0 || topK === 1) return argmax(logits);
  let ids = Array.from({ length: V }, (_, i) => i);
  if ((topK > 0 && topK < V) || topP < 1) {
    ids.sort((a, b) => logits[b] - logits[a] || a - b);
    if (topK > 0) ids.length = Math.min(topK, V);
  }
  const max = Math.max(...ids.map((i) => logits[i]));
  const probs = ids.map((i) => Math.exp((logits[i] - max) / temperature));
  let total = probs.reduce((s, p) => s + p, 0);
  if (topP < 1) {
    let cum = 0;
    let keep = 0;
    while (keep < probs.length && cum < topP * total) cum += probs[keep++];
    probs.length = Math.max(1, keep);
    ids = ids.slice(0, probs.length);
    total = probs.reduce((s, p) => s + p, 0);
  }
  let r = random() * total;
  for (let j = 0; j < ids.length; j++) {
    r -= probs[j];
    if (r < 0) return ids[j];
  }
  return ids[ids.length - 1];
}

describe('sampleToken', () => {
  it('draws what sorting every id draws (peaked and flat rows, ties, -0, -Infinity)', () => {
    const rand = seededRandom(5);
    const options = [{}, { temperature: 0.7 }, { topK: 5 }, { topK: 300, temperature: 1.3 }, { topP: 0.9 }, { topP: 0.5, temperature: 0.8 }, { topK: 50, topP: 0.95 }];
    for (let row = 0; row < 60; row++) {
      const V = [7, 100, 2048][row % 3]!;
      const scale = [0.5, 4, 12][row % 3]!; // flat to peaked
      const logits = Float32Array.from({ length: V }, () => Math.round((rand() * 2 - 1) * scale * 8) / 8); // many ties
      if (row % 5 === 0) logits[1] = -0;
      if (row % 7 === 0) logits[2] = -Infinity;
      for (const o of options) {
        const [a, b] = [seededRandom(row), seededRandom(row)];
        for (let draw = 0; draw < 5; draw++) expect(sampleToken(logits, o, a)).toBe(referenceSample(logits, o, b));
      }
    }
  });

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
