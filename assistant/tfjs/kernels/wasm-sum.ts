/**
 * wasm Sum in JavaScript on the heap, for axes that form one block ([outer, r, inner]): bias gradients
 * (sum over the leading [B·T] axis of a [2048,512] gradient) took the stock kernel ~10 ms each, as it
 * transposes the reduced axes to the end first. Accumulates in float64 like tfjs's cpu kernel.
 * Scattered axes and int32 use the stock kernel. Also fixes stock's sum of an empty tensor (garbage).
 */
import { tf } from '../tf.js';
import type { WasmBackend } from './backend-types.js';
import { stockKernel } from './registry.js';
import { memoize, reductionBlock } from './strides.js';

const plan = memoize(
  (shape: number[], axes: number[], keepDims: boolean) => `${shape}|${axes}|${keepDims}`,
  (shape: number[], axes: number[], keepDims: boolean) => ({
    outShape: shape.map((n, d) => (axes.includes(d) ? 1 : n)).filter((_, d) => keepDims || !axes.includes(d)),
    block: reductionBlock(shape, axes),
  }),
);

export const wasmSum: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const backend = args.backend as WasmBackend;
    const x = args.inputs.x as tf.TensorInfo;
    const axes = tf.util.parseAxisParam(args.attrs!.axis as number | number[], x.shape);
    const { outShape, block } = plan(x.shape, axes, Boolean(args.attrs!.keepDims));
    // (An empty input is ours too: the stock kernel leaves its output uninitialized.)
    if (x.dtype !== 'float32' || !block) return stockKernel(tf.Sum, 'wasm').kernelFunc(args);
    const out = backend.makeOutput(outShape.slice(), 'float32'); // may grow the heap: views after it
    const xv = backend.typedArrayFromHeap(x);
    const ov = backend.typedArrayFromHeap(out);
    const { outer, r, inner } = block;
    const acc = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      const base = o * r * inner;
      if (inner === 1) {
        let s = 0;
        for (let j = 0; j < r; j++) s += xv[base + j]!;
        ov[o] = s;
        continue;
      }
      acc.fill(0);
      for (let j = 0; j < r; j++) {
        const row = base + j * inner;
        for (let i = 0; i < inner; i++) acc[i] += xv[row + i]!;
      }
      ov.set(acc, o * inner);
    }
    return out;
  },
};
