import { describe, expect, it } from 'vitest';
import { chainProcessors, noRepeatNgram } from './no-repeat.js';
import { copyBias } from './copy-bias.js';

describe('noRepeatNgram', () => {
  it('bans the token that would repeat an n-gram already in the answer', () => {
    const p = noRepeatNgram(3);
    const l = new Float32Array(6);
    p([1, 2, 3, 4, 1, 2], l); // "1 2" was followed by 3: "1 2 3" must not come again
    expect([...l]).toEqual([0, 0, 0, -Infinity, 0, 0]);
  });

  it('bans every earlier continuation and nothing when the prefix is new or the answer short', () => {
    const p = noRepeatNgram(2);
    const l = new Float32Array(6);
    p([5, 1, 5, 2, 5], l); // 5 was followed by 1 and by 2
    expect([...l]).toEqual([0, -Infinity, -Infinity, 0, 0, 0]);
    const fresh = new Float32Array(6);
    noRepeatNgram(3)([1, 2, 3, 4], fresh); // "3 4" never occurred before
    expect([...fresh]).toEqual(new Array(6).fill(0));
    const short = new Float32Array(6);
    noRepeatNgram(4)([1, 1, 1], short);
    expect([...short]).toEqual(new Array(6).fill(0));
  });

  it('chains with the copy bias: a copy may not loop back over what it already wrote', () => {
    // The source repeats "7 8 9": the copy bias alone would favour 9 again after the second "7 8".
    const both = chainProcessors(copyBias([[7, 8, 9, 7, 8]], { bias: 5, minMatch: 2 }), noRepeatNgram(3))!;
    const l = new Float32Array(10);
    both([7, 8, 9, 7, 8], l);
    expect(l[9]).toBe(-Infinity);
    expect(chainProcessors(undefined, undefined)).toBeUndefined();
  });

  it('refuses a size below 2', () => {
    expect(() => noRepeatNgram(1)).toThrow(/≥ 2/);
  });
});
