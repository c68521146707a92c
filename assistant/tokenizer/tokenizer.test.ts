import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { smallCorpus } from './test-corpus.js';
import { Tokenizer } from './tokenizer.js';
import { train } from './train.js';

const tokenizer = train(smallCorpus(), { vocabSize: 800 });
const roundTrip = (text: string) => tokenizer.decode(tokenizer.encode(text));
/** What a string means as UTF-8: each lone surrogate becomes U+FFFD (computed without TextEncoder). */
const wellFormed = (text: string) => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

describe('encode/decode round trip', () => {
  it('gives back any well-formed string exactly', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }));
    fc.assert(fc.property(text, (t) => roundTrip(t) === t), { numRuns: 500 });
  });

  it.each([
    ['empty', ''],
    ['NUL and controls', 'a\0b\x01\x7f\r\n'],
    ['a leading byte order mark', '\uFEFFhello'],
    ['a lone combining mark', '\u0301'],
    ['decomposed accents', 'Cafe\u0301 e\u0301te\u0301'],
    ['an emoji ZWJ sequence and flags', '👩‍👩‍👧 🇫🇷🇩🇪'],
    ['CJK and right-to-left text', '我想取消订单 ご注文 طلبك'],
    ['the largest code point', '\u{10FFFF}'],
    ['whitespace runs', '  \t\n\n   x   '],
  ])('gives back %s', (_, text) => {
    expect(roundTrip(text)).toBe(text);
  });

  it('turns lone surrogates, which have no UTF-8 form, into U+FFFD (the one lossy case)', () => {
    expect(roundTrip('a\uD800b')).toBe('a\uFFFDb');
    expect(roundTrip('\uDC00')).toBe('\uFFFD');
    expect(roundTrip('\uD83D\uDE00')).toBe('😀'); // a proper pair is one character
    const units = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 50 });
    fc.assert(fc.property(units, (t) => roundTrip(t) === wellFormed(t)), { numRuns: 500 });
  });

  it('compresses text like the training corpus', () => {
    const text = 'I understand your concern about the refund for your order.';
    expect(tokenizer.encode(text).length).toBeLessThan(new TextEncoder().encode(text).length / 3);
  });
});

describe('special tokens', () => {
  const user = tokenizer.idOf('<|user|>');
  const end = tokenizer.idOf('<|end|>');

  it('have fixed ids right after the 256 bytes, in the order given', () => {
    expect(['<|system|>', '<|context|>', '<|user|>', '<|assistant|>', '<|end|>', '<|pad|>'].map((t) => tokenizer.idOf(t))).toEqual([256, 257, 258, 259, 260, 261]);
    expect(tokenizer.isSpecial(260)).toBe(true);
    expect(tokenizer.isSpecial(255)).toBe(false);
    expect(tokenizer.isSpecial(262)).toBe(false);
  });

  it('are matched in text only with allowSpecial', () => {
    const text = '<|user|>cancel my order<|end|>';
    expect(tokenizer.encode(text, { allowSpecial: true })).toEqual([user, ...tokenizer.encode('cancel my order'), end]);
    const typed = tokenizer.encode(text);
    expect(typed.some((id) => tokenizer.isSpecial(id))).toBe(false);
    expect(tokenizer.decode(typed)).toBe(text);
  });

  it('decode to their literal text', () => {
    expect(tokenizer.decode([user, ...tokenizer.encode('hi'), end])).toBe('<|user|>hi<|end|>');
  });

  it('prefer the longest token where two start at the same place', () => {
    const t = train(['x'], { vocabSize: 300, specialTokens: ['<|a|>', '<|a|>!'] });
    expect(t.encode('<|a|>!<|a|>', { allowSpecial: true })).toEqual([257, 256]);
  });

  it('name the known tokens when asked for an unknown one', () => {
    expect(() => tokenizer.idOf('<|bot|>')).toThrow('<|system|> <|context|>');
  });
});

describe('vocabulary', () => {
  it('has exactly vocabSize ids, all used ids inside it', () => {
    for (const vocabSize of [262, 300, 800]) {
      const t = train(smallCorpus(), { vocabSize });
      expect(t.vocabSize).toBe(vocabSize);
      expect(t.merges.length).toBe(vocabSize - 262);
    }
    expect(Math.max(...tokenizer.encode(smallCorpus().join('\n')))).toBeLessThan(800);
    expect(() => tokenizer.decode([800])).toThrow('outside this vocabulary (0–799)');
  });

  it('shows each token readably for debugging', () => {
    expect(tokenizer.tokenText(65)).toBe('A');
    expect(tokenizer.tokenText(0xe2)).toBe('\\xE2');
    expect(tokenizer.tokenText(tokenizer.idOf('<|pad|>'))).toBe('<|pad|>');
    const [the] = tokenizer.encode(' the');
    expect(tokenizer.tokenText(the)).toBe(' the');
  });
});

describe('toJSON / fromJSON', () => {
  it('round-trips through JSON text to a tokenizer with identical encodings', () => {
    const saved = JSON.parse(JSON.stringify(tokenizer.toJSON()));
    expect(saved).toMatchObject({ kind: 'rapport-byte-bpe', version: 1, vocabSize: 800 });
    const loaded = Tokenizer.fromJSON(saved);
    expect(loaded.toJSON()).toEqual(tokenizer.toJSON());
    for (const text of smallCorpus().slice(0, 100)) expect(loaded.encode(text)).toEqual(tokenizer.encode(text));
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (t) => {
        expect(loaded.encode(t, { allowSpecial: true })).toEqual(tokenizer.encode(t, { allowSpecial: true }));
      }),
    );
  });

  it('refuses corrupt or foreign files with a reason', () => {
    const good = tokenizer.toJSON();
    expect(() => Tokenizer.fromJSON({ ...good, version: 2 })).toThrow('version');
    expect(() => Tokenizer.fromJSON({ ...good, vocabSize: 801 })).toThrow('make 800');
    expect(() => Tokenizer.fromJSON({ ...good, merges: [[1, 900]] })).toThrow('not a byte or an earlier merge');
    expect(() => Tokenizer.fromJSON({ ...good, merges: [[1, 256]] })).toThrow('not a byte or an earlier merge');
    expect(() => Tokenizer.fromJSON({ vocab: {} })).toThrow('tokenizer JSON: kind');
  });
});
