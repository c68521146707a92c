/**
 * Shape arithmetic for the native kernels: broadcasting and permutations reduced to the fewest
 * dimensions (size-1 axes dropped, adjacent axes that move together merged), so the C loops run long
 * contiguous rows instead of converting an index to coordinates per element.
 */

/** Row-major strides of `shape`. */
function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let d = shape.length - 1, acc = 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

export interface Broadcast {
  /** Coalesced output shape (at least one axis). */
  shape: number[];
  /** Element strides of a and b along `shape`: 0 where the operand is broadcast. */
  sa: number[];
  sb: number[];
}

/** `a op b` with numpy broadcasting, coalesced. Throws on incompatible shapes (like tfjs). */
export function broadcastStrides(aShape: readonly number[], bShape: readonly number[]): Broadcast {
  const rank = Math.max(aShape.length, bShape.length);
  const pad = (s: readonly number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const a = pad(aShape);
  const b = pad(bShape);
  const out = a.map((n, d) => {
    const m = b[d]!;
    if (n !== m && n !== 1 && m !== 1) throw new Error(`shapes [${aShape}] and [${bShape}] do not broadcast`);
    return n === 1 ? m : n;
  });
  const ca = contiguous(a);
  const cb = contiguous(b);
  const shape: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let d = 0; d < rank; d++) {
    const n = out[d]!;
    if (n === 1) continue;
    const da = a[d] === 1 ? 0 : ca[d]!;
    const db = b[d] === 1 ? 0 : cb[d]!;
    const last = shape.length - 1;
    // Merge with the previous axis when, for both operands, stepping the previous axis equals stepping
    // this one n times (true for contiguous pairs and for pairs broadcast together).
    if (last >= 0 && sa[last] === da * n && sb[last] === db * n) {
      shape[last] = shape[last]! * n;
      sa[last] = da;
      sb[last] = db;
    } else {
      shape.push(n);
      sa.push(da);
      sb.push(db);
    }
  }
  if (shape.length === 0) return { shape: [1], sa: [0], sb: [0] };
  return { shape, sa, sb };
}

/** `perm` applied to `shape`, coalesced: size-1 axes dropped, runs of axes kept in order merged. */
export function coalescePermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const kept = shape.map((n, d) => (n === 1 ? -1 : d)).filter((d) => d >= 0);
  const p = perm.filter((d) => shape[d] !== 1);
  // Groups: maximal runs where p[i+1] === p[i] + next kept axis.
  const nextKept = new Map<number, number>();
  for (let i = 0; i + 1 < kept.length; i++) nextKept.set(kept[i]!, kept[i + 1]!);
  const groups: number[][] = [];
  for (const d of p) {
    const g = groups[groups.length - 1];
    if (g && nextKept.get(g[g.length - 1]!) === d) g.push(d);
    else groups.push([d]);
  }
  // Each group becomes one input axis; order groups by their first input axis to get the new shape.
  const byInput = [...groups].sort((x, y) => x[0]! - y[0]!);
  const newShape = byInput.map((g) => g.reduce((acc, d) => acc * shape[d]!, 1));
  const newPerm = groups.map((g) => byInput.indexOf(g));
  if (newShape.length === 0) return { shape: [1], perm: [0] };
  return { shape: newShape, perm: newPerm };
}

/**
 * Reducing `axes` of `shape` as [outer, r, inner] when the axes (ignoring size-1 axes) are adjacent;
 * undefined when they are not (the caller transposes them to the end first).
 */
export function reductionBlock(shape: readonly number[], axes: readonly number[]): { outer: number; r: number; inner: number } | undefined {
  const isAxis = shape.map((_, d) => axes.includes(d));
  const big = shape.map((n, d) => ({ n, d, reduced: isAxis[d]! })).filter((x) => x.n !== 1);
  const first = big.findIndex((x) => x.reduced);
  if (first < 0) {
    const size = shape.reduce((a, n) => a * n, 1);
    return { outer: size, r: 1, inner: 1 };
  }
  let last = first;
  while (last + 1 < big.length && big[last + 1]!.reduced) last++;
  if (big.slice(last + 1).some((x) => x.reduced)) return undefined;
  const prod = (xs: { n: number }[]) => xs.reduce((a, x) => a * x.n, 1);
  return { outer: prod(big.slice(0, first)), r: prod(big.slice(first, last + 1)), inner: prod(big.slice(last + 1)) };
}

/**
 * `f` memoized on a string key. Kernels call the shape arithmetic above on every op, and a decoding step
 * runs ~150 ops on tiny tensors, where it costs more than the arithmetic; a model uses few shapes.
 */
export function memoize<A extends unknown[], R>(key: (...args: A) => string, f: (...args: A) => R, max = 4096): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args: A) => {
    const k = key(...args);
    let r = cache.get(k);
    if (r === undefined) {
      if (cache.size >= max) cache.clear();
      r = f(...args);
      cache.set(k, r);
    }
    return r;
  };
}
