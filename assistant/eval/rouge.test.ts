import { describe, expect, it } from 'vitest';
import { lcsLength, rougeL, rougeWords } from './rouge.js';

describe('rougeL', () => {
  it('matches a hand-computed example', () => {
    // candidate: the cat was found under the bed (7 words)
    // reference: the cat was under the bed (6 words)
    // LCS = "the cat was under the bed" = 6 → P = 6/7, R = 6/6, F1 = 2·(6/7)·1 / (6/7 + 1) = 12/13
    const r = rougeL('The cat was found under the bed.', 'the cat was under the bed');
    expect(r.precision).toBeCloseTo(6 / 7, 12);
    expect(r.recall).toBe(1);
    expect(r.f1).toBeCloseTo(12 / 13, 12);
  });

  it('counts a subsequence, not a substring, and respects order', () => {
    // a b c d e vs a x c y e: LCS a c e = 3; P = R = 3/5, F1 = 3/5
    expect(lcsLength(['a', 'b', 'c', 'd', 'e'], ['a', 'x', 'c', 'y', 'e'])).toBe(3);
    expect(rougeL('a b c d e', 'a x c y e').f1).toBeCloseTo(0.6, 12);
    // reversed order: only one word can be matched in order
    expect(lcsLength(['one', 'two', 'three'], ['three', 'two', 'one'])).toBe(1);
  });

  it('ignores case and punctuation, and scores no overlap or empty text as 0', () => {
    expect(rougeWords("Hi, I'm {{Name}}!")).toEqual(['hi', 'i', 'm', 'name']);
    expect(rougeL('Track ORDER now', 'track order now').f1).toBe(1);
    expect(rougeL('refund', 'delivery').f1).toBe(0);
    expect(rougeL('', 'delivery').f1).toBe(0);
  });
});
