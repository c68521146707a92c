import { describe, expect, it } from 'vitest';
import { rng } from './compare.js';
import { broadcastStrides, coalescePermutation, reductionBlock } from './strides.js';

const size = (s: readonly number[]) => s.reduce((a, n) => a * n, 1);

/** Coordinates of flat index i in shape. */
function coords(i: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    c[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return c;
}
const flat = (c: readonly number[], shape: readonly number[]) => c.reduce((acc, x, d) => acc * shape[d]! + x, 0);

/** Offset of output element i under the coalesced (shape, strides). */
function offset(i: number, shape: number[], strides: number[]): number {
  return coords(i, shape).reduce((acc, x, d) => acc + x * strides[d]!, 0);
}

function randomShape(rand: () => number, rank: number): number[] {
  return Array.from({ length: rank }, () => [1, 1, 2, 3, 4][Math.floor(rand() * 5)]!);
}

describe('broadcastStrides', () => {
  it('maps every output element to the operand elements numpy broadcasting picks', () => {
    const rand = rng(1);
    for (let trial = 0; trial < 300; trial++) {
      const out = randomShape(rand, Math.floor(rand() * 5));
      const a = out.slice(Math.floor(rand() * (out.length + 1))).map((n) => (rand() < 0.4 ? 1 : n));
      const b = out.slice(Math.floor(rand() * (out.length + 1))).map((n) => (rand() < 0.4 ? 1 : n));
      const full = out.map((n, d) => {
        const an = a[d - (out.length - a.length)] ?? 1;
        const bn = b[d - (out.length - b.length)] ?? 1;
        return Math.max(an, bn);
      });
      const { shape, sa, sb } = broadcastStrides(a, b);
      expect(size(shape)).toBe(size(full));
      for (let i = 0; i < size(full); i++) {
        const c = coords(i, full);
        const pick = (s: number[]) => flat(c.slice(c.length - s.length).map((x, d) => (s[d] === 1 ? 0 : x)), s);
        expect(offset(i, shape, sa)).toBe(pick(a));
        expect(offset(i, shape, sb)).toBe(pick(b));
      }
    }
  });

  it('coalesces a bias add into one broadcast axis pair and same-shape ops into one axis', () => {
    expect(broadcastStrides([2048, 512], [512])).toEqual({ shape: [2048, 512], sa: [512, 1], sb: [0, 1] });
    expect(broadcastStrides([16, 128, 128], [16, 128, 128])).toEqual({ shape: [262144], sa: [1], sb: [1] });
    expect(broadcastStrides([4, 3], [])).toEqual({ shape: [12], sa: [1], sb: [0] });
    expect(broadcastStrides([], [])).toEqual({ shape: [1], sa: [0], sb: [0] });
  });

  it('rejects shapes that do not broadcast', () => {
    expect(() => broadcastStrides([2, 3], [4])).toThrow(/do not broadcast/);
  });
});

describe('coalescePermutation', () => {
  it('describes the same element mapping as the original permutation', () => {
    const rand = rng(2);
    for (let trial = 0; trial < 300; trial++) {
      const shape = randomShape(rand, 1 + Math.floor(rand() * 5));
      const perm = shape.map((_, d) => d).sort(() => rand() - 0.5);
      const outShape = perm.map((d) => shape[d]!);
      const c = coalescePermutation(shape, perm);
      expect(size(c.shape)).toBe(size(shape));
      const cOut = c.perm.map((d) => c.shape[d]!);
      for (let i = 0; i < size(shape); i++) {
        // Output element i comes from input element src (original) and srcC (coalesced): they must agree.
        const oc = coords(i, outShape);
        const ic = new Array<number>(shape.length);
        perm.forEach((d, k) => (ic[d] = oc[k]!));
        const occ = coords(i, cOut);
        const icc = new Array<number>(c.shape.length);
        c.perm.forEach((d, k) => (icc[d] = occ[k]!));
        expect(flat(icc, c.shape)).toBe(flat(ic, shape));
      }
    }
  });

  it('merges axes that stay together', () => {
    expect(coalescePermutation([2, 3, 4], [2, 0, 1])).toEqual({ shape: [6, 4], perm: [1, 0] });
    expect(coalescePermutation([16, 128, 4, 32], [0, 2, 1, 3])).toEqual({ shape: [16, 128, 4, 32], perm: [0, 2, 1, 3] });
    expect(coalescePermutation([1, 5, 1], [2, 1, 0])).toEqual({ shape: [5], perm: [0] });
  });
});

describe('reductionBlock', () => {
  it('finds [outer, r, inner] for adjacent axes, ignoring size-1 axes', () => {
    expect(reductionBlock([16, 128, 128], [2])).toEqual({ outer: 2048, r: 128, inner: 1 });
    expect(reductionBlock([1, 2048, 512], [0, 1])).toEqual({ outer: 1, r: 2048, inner: 512 });
    expect(reductionBlock([4, 1, 6], [0, 2])).toEqual({ outer: 1, r: 24, inner: 1 });
    expect(reductionBlock([2, 3], [])).toEqual({ outer: 6, r: 1, inner: 1 });
  });

  it('gives up on scattered axes', () => {
    expect(reductionBlock([2, 3, 4], [0, 2])).toBeUndefined();
  });
});
