import { describe, expect, it } from 'vitest';
import { copyBias } from './copy-bias.js';

const logits = () => new Float32Array(10);

describe('copyBias', () => {
  it('favours the first token of each source before anything is generated', () => {
    const p = copyBias([[3, 4, 5], [7, 8]], { bias: 2 });
    const l = logits();
    p([], l);
    expect([...l]).toEqual([0, 0, 0, 2, 0, 0, 0, 2, 0, 0]);
  });

  it('favours the token that continues a span once the last minMatch tokens match it', () => {
    const p = copyBias([[1, 2, 3, 4, 2, 3, 9]], { bias: 1.5, minMatch: 2 });
    const l = logits();
    p([6, 2, 3], l); // "2 3" occurs twice: followed by 4 and by 9
    expect([...l]).toEqual([0, 0, 0, 0, 1.5, 0, 0, 0, 0, 1.5]);
    const none = logits();
    p([3, 2], none); // "3 2" is not in the source
    expect([...none]).toEqual(new Array(10).fill(0));
    const short = logits();
    p([4], short); // one token generated so far: it alone must match ("4" is followed by 2)
    expect([...short]).toEqual([0, 0, 1.5, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('does not chain across sources, adds once per token, and is a no-op at bias 0', () => {
    const p = copyBias([[1, 2], [2, 5], [1, 2, 5]], { bias: 1, minMatch: 1 });
    const l = logits();
    p([2], l); // 2 is followed by 5 in two sources: +1 once, not twice
    expect(l[5]).toBe(1);
    expect(l.reduce((a, b) => a + b, 0)).toBe(1);
    const off = copyBias([[1, 2]], { bias: 0 });
    const z = logits();
    off([], z);
    expect([...z]).toEqual(new Array(10).fill(0));
  });

  it('refuses a negative bias or a minMatch below 1', () => {
    expect(() => copyBias([[1]], { bias: -1 })).toThrow(/≥ 0/);
    expect(() => copyBias([[1]], { bias: 1, minMatch: 0 })).toThrow(/minMatch/);
  });
});
