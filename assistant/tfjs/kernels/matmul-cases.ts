/**
 * Test support: matmul shapes for the BatchMatMul kernels — every transpose combination on plain,
 * batched, batch-broadcast and degenerate (size-1) products.
 */
export interface MatMulCase {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
  /** tfjs's BatchMatMul gradient does not reduce broadcast batches (stock throws): forward only. */
  broadcast: boolean;
}

const PRODUCTS: { batchA: number[]; batchB: number[]; m: number; k: number; n: number }[] = [
  { batchA: [], batchB: [], m: 1, k: 1, n: 1 },
  { batchA: [], batchB: [], m: 3, k: 5, n: 2 },
  { batchA: [], batchB: [], m: 1, k: 40, n: 7 },
  { batchA: [], batchB: [], m: 33, k: 64, n: 20 },
  { batchA: [3], batchB: [3], m: 5, k: 4, n: 6 },
  { batchA: [1], batchB: [4], m: 5, k: 3, n: 2 },
  { batchA: [4], batchB: [1], m: 2, k: 3, n: 5 },
  { batchA: [4], batchB: [], m: 6, k: 8, n: 3 },
  { batchA: [2, 3], batchB: [2, 3], m: 7, k: 16, n: 4 },
];

export function matMulCases(): MatMulCase[] {
  const out: MatMulCase[] = [];
  for (const p of PRODUCTS) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        out.push({
          a: [...p.batchA, ...(transposeA ? [p.k, p.m] : [p.m, p.k])],
          b: [...p.batchB, ...(transposeB ? [p.n, p.k] : [p.k, p.n])],
          transposeA,
          transposeB,
          broadcast: p.batchA.join() !== p.batchB.join(),
        });
      }
    }
  }
  return out;
}
