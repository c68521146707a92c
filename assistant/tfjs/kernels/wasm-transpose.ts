/**
 * wasm Transpose in JavaScript on the heap. The stock kernel handles rank ≤ 4 reasonably but moves a
 * rank-5 tensor (the model's [B,T,3,nH,hs] → [3,B,nH,T,hs] head split and its gradient) element by
 * element at ~0.2 µs each: ~90 ms per call, 30% of a wasm training step. Here axes are coalesced
 * (strides.ts); when the last axis stays last, whole runs move with `copyWithin` (a memmove), else
 * 2-D tiles. Any 4-byte dtype moves as bits.
 */
import { tf } from '../tf.js';
import type { WasmBackend } from './backend-types.js';
import { stockKernel } from './registry.js';
import { coalescePermutation, memoize } from './strides.js';

const TILE = 32;

const plan = memoize(
  (shape: number[], perm: number[]) => `${shape}|${perm}`,
  (shape: number[], perm: number[]) => {
    const c = coalescePermutation(shape, perm);
    const rank = c.shape.length;
    const xStride = new Array<number>(rank);
    for (let d = rank - 1, s = 1; d >= 0; d--) {
      xStride[d] = s;
      s *= c.shape[d]!;
    }
    const outShape = c.perm.map((d) => c.shape[d]!);
    return { ...c, xStride, outShape };
  },
);

export const wasmTranspose: tf.KernelConfig = {
  kernelName: tf.Transpose,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const backend = args.backend as WasmBackend;
    const x = args.inputs.x as tf.TensorInfo;
    const perm = args.attrs!.perm as number[];
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return stockKernel(tf.Transpose, 'wasm').kernelFunc(args);
    const out = backend.makeOutput(perm.map((d) => x.shape[d]!), x.dtype); // may grow the heap: views after it
    const size = tf.util.sizeFromShape(x.shape);
    if (size === 0) return out;
    const heap = backend.wasm.HEAPF32;
    const src = backend.dataIdMap.get(x.dataId).memoryOffset >> 2;
    const dst = backend.dataIdMap.get(out.dataId).memoryOffset >> 2;
    const { shape, perm: p, xStride, outShape } = plan(x.shape, perm);
    const rank = shape.length;
    // Leading axes in place, last two swapped: batched 2-D transposes in tiles.
    let lead = 0;
    while (lead < rank && p[lead] === lead) lead++;
    if (rank - lead === 2) {
      const a = shape[lead]!;
      const b = shape[lead + 1]!;
      for (let c = 0, n = size / (a * b); c < n; c++) {
        const s0 = src + c * a * b;
        const d0 = dst + c * a * b;
        for (let i0 = 0; i0 < b; i0 += TILE) {
          for (let j0 = 0; j0 < a; j0 += TILE) {
            const i1 = Math.min(i0 + TILE, b);
            const j1 = Math.min(j0 + TILE, a);
            for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) heap[d0 + i * a + j] = heap[s0 + j * b + i]!;
          }
        }
      }
      return out;
    }
    // Rows of the output's last axis, read with stride rs (1: a contiguous run).
    const run = outShape[rank - 1]!;
    const rs = xStride[p[rank - 1]!]!;
    const coord = new Array<number>(rank).fill(0);
    let off = 0;
    for (let r = 0, rows = size / run; r < rows; r++) {
      const to = dst + r * run;
      if (rs === 1) heap.copyWithin(to, src + off, src + off + run);
      else for (let j = 0; j < run; j++) heap[to + j] = heap[src + off + j * rs]!;
      // Advance the output coordinates (all but the last axis) and the matching input offset.
      for (let d = rank - 2; d >= 0; d--) {
        const step = xStride[p[d]!]!;
        if (++coord[d]! < outShape[d]!) {
          off += step;
          break;
        }
        coord[d] = 0;
        off -= step * (outShape[d]! - 1);
      }
    }
    return out;
  },
};

/** wasm Identity shares the data (as Reshape does) instead of copying it, like the cpu backend. */
export const wasmIdentity: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    (args.backend as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};
