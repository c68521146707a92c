import { describe, expect, it } from 'vitest';
import { BatchSampler, collate } from './batches.js';

describe('collate', () => {
  it('shifts ids into inputs and targets, masks answer targets only, pads to the longest example', () => {
    const c = collate(
      [
        { ids: [1, 2, 3, 4], mask: [0, 0, 1, 1] },
        { ids: [5, 6], mask: [0, 1] },
      ],
      9,
    );
    expect([c.B, c.T]).toEqual([2, 3]);
    expect(Array.from(c.idx)).toEqual([1, 2, 3, 5, 9, 9]);
    expect(Array.from(c.targets)).toEqual([2, 3, 4, 6, 9, 9]);
    expect(Array.from(c.mask)).toEqual([0, 1, 1, 1, 0, 0]);
  });
});

describe('BatchSampler', () => {
  it('visits every example once per epoch, in a seeded order', () => {
    const a = new BatchSampler(5, 5, 7);
    const b = new BatchSampler(5, 5, 7);
    const first = a.next();
    expect([...first].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(b.next()).toEqual(first);
    expect([...a.next()].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('fills batches larger than the data set from the next epochs', () => {
    const batch = new BatchSampler(2, 5, 1).next();
    expect(batch).toHaveLength(5);
    expect(new Set(batch)).toEqual(new Set([0, 1]));
  });
});
