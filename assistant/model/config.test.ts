import { describe, expect, it } from 'vitest';
import { gptConfig } from './config.js';

describe('gptConfig', () => {
  it('fills defaults and derives headSize', () => {
    const c = gptConfig({ nEmbd: 64, nHead: 8 });
    expect(c).toEqual({ vocabSize: 2048, blockSize: 256, nLayer: 2, nHead: 8, nEmbd: 64, dropout: 0, headSize: 8 });
  });

  it('rejects nEmbd that nHead does not divide, saying what to change', () => {
    expect(() => gptConfig({ nEmbd: 130, nHead: 4 })).toThrow(/nEmbd: nEmbd must be a multiple of nHead/);
  });

  it('rejects non-positive sizes and a dropout of 1', () => {
    expect(() => gptConfig({ nLayer: 0 })).toThrow(/nLayer/);
    expect(() => gptConfig({ vocabSize: 2.5 })).toThrow(/vocabSize/);
    expect(() => gptConfig({ dropout: 1 })).toThrow(/dropout/);
  });

  it('ignores a stored headSize and derives it again (checkpoint headers carry one)', () => {
    expect(gptConfig({ nEmbd: 32, nHead: 4, headSize: 99 } as never).headSize).toBe(8);
  });
});
