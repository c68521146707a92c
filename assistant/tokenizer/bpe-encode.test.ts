import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeWord } from './bpe-train.js';
import { words } from './pretokenize.js';
import { smallCorpus } from './test-corpus.js';
import { train } from './train.js';

const tokenizer = train(smallCorpus(), { vocabSize: 800 });
const firstMergeId = 256 + tokenizer.specialTokens.length;

/** The definition of BPE encoding: apply every merge, in learn order, to each word. */
function naiveEncode(text: string): number[] {
  return words(text).flatMap((word) => {
    let ids = Array.from(new TextEncoder().encode(word));
    tokenizer.merges.forEach(([l, r], i) => (ids = mergeWord(ids, l, r, firstMergeId + i)));
    return ids;
  });
}

describe('encode (merges applied by rank)', () => {
  it('gives the tokens of applying each merge in order', () => {
    const corpusLike = fc.string({ unit: fc.constantFrom(...'aeinorst lcdpu,.\'!?\n😀é我的订单'.split('')), maxLength: 80 });
    fc.assert(fc.property(fc.oneof(corpusLike, fc.string({ unit: 'grapheme' })), (text) => {
      expect(tokenizer.encode(text)).toEqual(naiveEncode(text));
    }));
    for (const text of smallCorpus().slice(0, 60)) expect(tokenizer.encode(text)).toEqual(naiveEncode(text));
  });

  it('gives the same tokens from the cache as on first sight', () => {
    const text = 'Thank you for your order, thank you!';
    const first = tokenizer.encode(text);
    expect(tokenizer.encode(text)).toEqual(first);
  });

  it('stays fast and exact on very long words', () => {
    const start = performance.now();
    for (const text of ['order'.repeat(40_000), ' '.repeat(200_000), '!?'.repeat(100_000), '订单'.repeat(50_000)]) {
      const ids = tokenizer.encode(text);
      expect(tokenizer.decode(ids) === text).toBe(true); // not toBe(text): a failure would print 200 KB
    }
    expect(tokenizer.encode('order'.repeat(40_000)).length).toBeLessThan(200_000 / 2);
    expect(performance.now() - start).toBeLessThan(3000);
  });
});
