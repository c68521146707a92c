import { describe, expect, it } from 'vitest';
import { lrAt } from './schedule.js';

describe('lrAt', () => {
  const o = { lr: 1, steps: 6, warmupSteps: 2, minLrRatio: 0.1 };

  it('warms up linearly, peaks right after warm-up and ends at lr · minLrRatio (hand-computed)', () => {
    const lrs = [1, 2, 3, 4, 5, 6].map((s) => lrAt(s, o));
    // warm-up 1/2, 1; decay over steps 3..6 with progress 0, 1/3, 2/3, 1: 0.1 + 0.9·(1 + cos πp)/2
    expect(lrs[0]).toBeCloseTo(0.5, 9);
    expect(lrs[1]).toBeCloseTo(1, 9);
    expect(lrs[2]).toBeCloseTo(1, 9);
    expect(lrs[3]).toBeCloseTo(0.1 + 0.9 * 0.75, 9);
    expect(lrs[4]).toBeCloseTo(0.1 + 0.9 * 0.25, 9);
    expect(lrs[5]).toBeCloseTo(0.1, 9);
  });

  it('works without warm-up, with warm-up longer than the run, and for a single step', () => {
    expect(lrAt(1, { ...o, warmupSteps: 0 })).toBeCloseTo(1, 9);
    expect(lrAt(3, { ...o, warmupSteps: 10 })).toBeCloseTo(0.5, 9); // warm-up clamped to 6 steps
    expect(lrAt(1, { lr: 0.01, steps: 1, warmupSteps: 0, minLrRatio: 0.1 })).toBeCloseTo(0.01, 9); // one step: full lr
  });
});
