import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords, words } from './pretokenize.js';

describe('words', () => {
  it('splits like GPT-2: letters, digits and symbols keep one leading space; contractions stand alone', () => {
    expect(words("Hello world's  end\n\n")).toEqual(['Hello', ' world', "'s", ' ', ' end', '\n\n']);
    expect(words('order #12345, ok?')).toEqual(['order', ' #', '12345', ',', ' ok', '?']);
    expect(words("I'll go")).toEqual(['I', "'ll", ' go']);
    expect(words('naïve 日本語')).toEqual(['naïve', ' 日本語']);
  });

  it('puts combining marks with symbols, not with the letter before them', () => {
    expect(words('e\u0301t\u00e9')).toEqual(['e', '\u0301', 't\u00e9']);
  });

  it('loses no character, for any string including lone surrogates', () => {
    const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), anyUnits), (text) => words(text).join('') === text));
  });
});

describe('countWords', () => {
  it('counts each word across all documents', () => {
    expect(countWords(['ab ab', 'ab'])).toEqual(
      new Map([
        ['ab', 2],
        [' ab', 1],
      ]),
    );
  });
});
