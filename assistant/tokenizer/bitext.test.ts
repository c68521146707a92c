import { beforeAll, describe, expect, it } from 'vitest';
import { bitextTexts } from './test-corpus.js';
import type { Tokenizer } from './tokenizer.js';
import { train } from './train.js';

const utf8Length = (texts: string[]) => texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);

describe('a 2048-token vocabulary trained on the Bitext support corpus', () => {
  // Train on nine tenths of the 3.2 MB of instructions and responses; measure on the other tenth.
  const texts = bitextTexts();
  const heldOut = texts.filter((_, i) => i % 10 === 9);
  let tokenizer: Tokenizer;
  let trainSeconds: number;
  beforeAll(() => {
    const start = performance.now();
    tokenizer = train(
      texts.filter((_, i) => i % 10 !== 9),
      { vocabSize: 2048 },
    );
    trainSeconds = (performance.now() - start) / 1000;
  });

  it('trains in seconds to exactly 2048 ids', () => {
    expect(tokenizer.vocabSize).toBe(2048);
    expect(trainSeconds).toBeLessThan(10);
  });

  it('compresses held-out text to about 4 bytes per token', () => {
    const tokens = heldOut.reduce((sum, t) => sum + tokenizer.encode(t).length, 0);
    const bytesPerToken = utf8Length(heldOut) / tokens;
    console.log(`bitext vocab 2048: trained in ${trainSeconds.toFixed(2)} s, held-out ${bytesPerToken.toFixed(3)} bytes/token`);
    expect(bytesPerToken).toBeGreaterThan(3.5);
    expect(bytesPerToken).toBeLessThan(4.6);
  });

  it('decodes the whole held-out tenth back exactly', () => {
    for (const text of heldOut) expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });
});
