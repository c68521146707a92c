/**
 * cpu Sum, Mean, Max, Min and Softmax in C. tfjs's cpu reductions first transpose the reduced axes to
 * the end (a full copy with per-element index conversion), then reduce; here adjacent axes are reduced
 * in place as [outer, r, inner] (bias gradients sum over leading axes, LayerNorm over the last), and
 * only scattered axes are transposed first (natively). Sums accumulate in double, as stock's do.
 * float32 only; other dtypes use the stock kernels.
 */
import { type NativeKernels, REDUCE } from '../native/load.js';
import { tf } from '../tf.js';
import { cpuFloats, type CpuBackend } from './backend-types.js';
import { allocFloats } from './cpu-buffer-pool.js';
import { stockKernel } from './registry.js';
import { coalescePermutation, memoize, reductionBlock } from './strides.js';

/**
 * How to reduce `axes` of `shape`: as one [outer, r, inner] block, or (scattered axes) after a
 * transpose that moves them last.
 */
const plan = memoize(
  (shape: number[], axes: number[], keepDims: boolean) => `${shape}|${axes}|${keepDims}`,
  (shape: number[], axes: number[], keepDims: boolean) => {
    const outShape = shape.map((n, d) => (axes.includes(d) ? 1 : n)).filter((_, d) => keepDims || !axes.includes(d));
    const outSize = tf.util.sizeFromShape(outShape);
    const size = tf.util.sizeFromShape(shape);
    const block = reductionBlock(shape, axes);
    if (block) return { outShape, outSize, size, block, moveLast: undefined };
    const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
    const c = coalescePermutation(shape, [...kept, ...axes]);
    const moveLast = { shape: Int32Array.from(c.shape), perm: Int32Array.from(c.perm) };
    return { outShape, outSize, size, block: { outer: outSize, r: size / Math.max(outSize, 1), inner: 1 }, moveLast };
  },
);

function reduceKernel(native: NativeKernels, kernelName: keyof typeof REDUCE): tf.KernelConfig {
  const op = REDUCE[kernelName];
  return {
    kernelName,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const backend = args.backend as CpuBackend;
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype !== 'float32') return stockKernel(kernelName, 'cpu').kernelFunc(args);
      // Max names its axes `reductionIndices`; Sum, Mean and Min name them `axis`.
      const axisAttr = args.attrs!.axis ?? args.attrs!.reductionIndices;
      const axes = tf.util.parseAxisParam(axisAttr as number | number[], x.shape);
      const p = plan(x.shape, axes, Boolean(args.attrs!.keepDims));
      // Reducing nothing (size-0 input): stock semantics for the identity values and NaN means.
      if (p.size === 0) return stockKernel(kernelName, 'cpu').kernelFunc(args);
      let xv = cpuFloats(backend, x);
      if (p.moveLast) {
        // Scattered axes: move them to the end, then reduce the last block.
        const moved = new Float32Array(xv.length);
        native.transpose(xv, moved, p.moveLast.shape, p.moveLast.perm);
        xv = moved;
      }
      const { block, outShape } = p;
      const out = allocFloats(backend, p.outSize);
      native.reduce(op, xv, out, block.outer, block.r, block.inner);
      return backend.makeTensorInfo(outShape.slice(), 'float32', out);
    },
  };
}

function softmaxKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: tf.Softmax,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const backend = args.backend as CpuBackend;
      const logits = args.inputs.logits as tf.TensorInfo;
      const dim = args.attrs!.dim as number;
      const rank = logits.shape.length;
      const last = dim === -1 || dim === rank - 1;
      if (logits.dtype !== 'float32' || !last || rank === 0) return stockKernel(tf.Softmax, 'cpu').kernelFunc(args);
      const xv = cpuFloats(backend, logits);
      const cols = logits.shape[rank - 1]!;
      const out = allocFloats(backend, xv.length);
      if (out.length > 0) native.softmax(xv, out, xv.length / cols, cols);
      return backend.makeTensorInfo(logits.shape, 'float32', out);
    },
  };
}

export function nativeReduceKernels(native: NativeKernels): tf.KernelConfig[] {
  return [...(Object.keys(REDUCE) as (keyof typeof REDUCE)[]).map((k) => reduceKernel(native, k)), softmaxKernel(native)];
}
