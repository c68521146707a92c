import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learnMerges, mergeWord, type Merge } from './bpe-train.js';
import { countWords } from './pretokenize.js';
import { train } from './train.js';

const a = 97;
const b = 98;
const space = 32;

/** Textbook BPE: recount every pair of every word before each merge (the slow reference). */
function naiveMerges(corpus: string[], firstId: number, maxMerges: number, minFrequency: number): Merge[] {
  const table = [...countWords(corpus)].map(([word, count]) => ({ ids: Array.from(new TextEncoder().encode(word)), count }));
  const merges: Merge[] = [];
  while (merges.length < maxMerges) {
    const counts = new Map<string, number>();
    for (const { ids, count } of table) {
      for (let i = 0; i + 1 < ids.length; i++) counts.set(`${ids[i]},${ids[i + 1]}`, (counts.get(`${ids[i]},${ids[i + 1]}`) ?? 0) + count);
    }
    let best: Merge | undefined;
    let bestCount = 0;
    for (const [key, count] of counts) {
      const pair = key.split(',').map(Number) as [number, number];
      const smaller = best !== undefined && (pair[0] < best[0] || (pair[0] === best[0] && pair[1] < best[1]));
      if (count > bestCount || (count === bestCount && smaller)) [best, bestCount] = [pair, count];
    }
    if (!best || bestCount < minFrequency) break;
    const id = firstId + merges.length;
    merges.push(best);
    for (const entry of table) entry.ids = mergeWord(entry.ids, best[0], best[1], id);
  }
  return merges;
}

describe('learnMerges', () => {
  it('learns the merges computed by hand for "aaab aab ab"', () => {
    // Words "aaab", " aab", " ab". Counts: a+a 3, a+b 3, ␠+a 2 → tie, smaller pair a+a wins (id 256).
    // Then a+b 2 (257). Then every pair occurs once: ␠+256, ␠+257, 256+257, 258+b in key order.
    const merges = learnMerges(countWords(['aaab aab ab']), { firstId: 256, maxMerges: 100, minFrequency: 1 });
    expect(merges).toEqual([
      [a, a],
      [a, b],
      [space, 256],
      [space, 257],
      [256, 257],
      [258, b],
    ]);
  });

  it('stops when the best pair is rarer than minFrequency', () => {
    const merges = learnMerges(countWords(['aaab aab ab']), { firstId: 256, maxMerges: 100, minFrequency: 2 });
    expect(merges).toEqual([
      [a, a],
      [a, b],
    ]);
  });

  it('replaces overlapping occurrences left to right', () => {
    // "aaaaa": a+a occurs 4 times → X X a; then X+a and X+X tie at 1 and X+a (smaller) wins.
    const merges = learnMerges(countWords(['aaaaa']), { firstId: 256, maxMerges: 100, minFrequency: 1 });
    expect(merges).toEqual([
      [a, a],
      [256, a],
      [256, 257],
    ]);
  });

  it('matches a full recount per merge on random corpora (incremental counts stay exact)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'é', '\n', "'"), maxLength: 30 });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 8 }), fc.integer({ min: 1, max: 3 }), (corpus, minFrequency) => {
        const fast = learnMerges(countWords(corpus), { firstId: 260, maxMerges: 40, minFrequency });
        expect(fast).toEqual(naiveMerges(corpus, 260, 40, minFrequency));
      }),
      { numRuns: 300 },
    );
  });
});

describe('train', () => {
  it('numbers merges after the special tokens', () => {
    const tokenizer = train(['aaab aab ab'], { vocabSize: 300, specialTokens: ['<|end|>'] });
    expect(tokenizer.merges).toEqual([
      [a, a],
      [a, b],
    ]);
    expect(tokenizer.encode('aaab')).toEqual([257, 258]);
    expect(tokenizer.idOf('<|end|>')).toBe(256);
  });

  it('stops short of vocabSize when the corpus has no more frequent pairs', () => {
    expect(train(['aaab aab ab'], { vocabSize: 1000, specialTokens: [] }).vocabSize).toBe(258);
  });

  it('rejects options it cannot honour, saying what to change', () => {
    expect(() => train(['x'], { vocabSize: 260 })).toThrow('use at least 262');
    expect(() => train(['x'], { vocabSize: 300, specialTokens: ['<|a|>', '<|a|>'] })).toThrow('listed twice');
    expect(() => train(['x'], { vocabSize: 300, specialTokens: [''] })).toThrow('empty string');
    expect(() => train(['x'], { vocabSize: 300.5 })).toThrow('vocabSize');
  });
});
