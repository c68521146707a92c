import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamDecoder } from './stream-decoder.js';
import { smallCorpus } from './test-corpus.js';
import { train } from './train.js';

const tokenizer = train(smallCorpus(), { vocabSize: 800 });

describe('StreamDecoder', () => {
  it('holds back the bytes of an unfinished character until it is complete', () => {
    const stream = new StreamDecoder(tokenizer);
    expect(stream.push(0x61)).toBe('a');
    expect(stream.push(0xe2)).toBe(''); // € is E2 82 AC
    expect(stream.push(0x82)).toBe('');
    expect(stream.push([0xac, 0x21])).toBe('€!');
    expect(stream.end()).toBe('');
  });

  it('never emits a replacement character for emoji split across learned tokens', () => {
    const text = 'Thanks 😀🙏🏽 great service 👍👍 — 我想取消订单';
    const ids = tokenizer.encode(text);
    const splitsAChar = ids.some((id) => tokenizer.tokenText(id).includes('\\x'));
    expect(splitsAChar).toBe(true); // the test means something only if some token ends mid-character
    const stream = new StreamDecoder(tokenizer);
    const pieces = ids.map((id) => stream.push(id));
    expect(pieces.join('')).toBe(text);
    expect(pieces.some((p) => p.includes('\uFFFD'))).toBe(false);
  });

  it('gives, pushed in any chunks, exactly what decode gives for all ids', () => {
    const anyIds = fc.array(fc.integer({ min: 0, max: tokenizer.vocabSize - 1 }), { maxLength: 40 });
    const fromText = fc.string({ unit: 'binary', maxLength: 60 }).map((t) => tokenizer.encode(t));
    fc.assert(
      fc.property(fc.oneof(anyIds, fromText), fc.array(fc.nat(), { maxLength: 10 }), (ids, cuts) => {
        const stream = new StreamDecoder(tokenizer);
        const points = [...new Set(cuts.map((c) => c % (ids.length + 1)))].sort((x, y) => x - y);
        let text = '';
        let start = 0;
        for (const p of [...points, ids.length]) {
          text += stream.push(ids.slice(start, p));
          start = p;
        }
        expect(text + stream.end()).toBe(tokenizer.decode(ids));
      }),
      { numRuns: 500 },
    );
  });

  it('flushes an unfinished character as U+FFFD at the end and can be reused', () => {
    const stream = new StreamDecoder(tokenizer);
    expect(stream.push([0x6f, 0x6b, 0xf0, 0x9f])).toBe('ok');
    expect(stream.end()).toBe('\uFFFD');
    expect(stream.push(0x78)).toBe('x');
  });
});
