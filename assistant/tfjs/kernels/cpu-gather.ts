/**
 * cpu GatherV2 (every embedding lookup and the cross-entropy's pick of the target logit) as row copies.
 * Stock converts every output index to coordinates and back through a TensorBuffer (~30 ms for a
 * [2048,128] lookup, 5% of a step). batchDims > 0 and bool fall back to stock.
 */
import { tf } from '../tf.js';
import { cpuValues, type CpuBackend } from './backend-types.js';
import { allocFloats } from './cpu-buffer-pool.js';
import { stockKernel } from './registry.js';

export const cpuGatherV2: tf.KernelConfig = {
  kernelName: tf.GatherV2,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const backend = args.backend as CpuBackend;
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const batchDims = (args.attrs!.batchDims as number | undefined) ?? 0;
    const stock = () => stockKernel(tf.GatherV2, 'cpu').kernelFunc(args);
    if (batchDims !== 0 || (x.dtype !== 'float32' && x.dtype !== 'int32')) return stock();
    const axis = tf.util.parseAxisParam(args.attrs!.axis as number, x.shape)[0]!;
    const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
    const axisSize = x.shape[axis]!;
    const inner = tf.util.sizeFromShape(x.shape.slice(axis + 1));
    const idx = cpuValues(backend, indices);
    const n = idx.length;
    for (let i = 0; i < n; i++) {
      const v = idx[i]!;
      // Same check and message as stock.
      tf.util.assert(v >= 0 && v < axisSize, () => `GatherV2: the index value ${v} is not in [0, ${axisSize - 1}]`);
    }
    const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    const size = outer * n * inner;
    const xv = cpuValues(backend, x);
    // Float values may sit in an Int32Array/Uint8Array after a widening Cast: copy them as numbers.
    const out = x.dtype === 'float32' ? allocFloats(backend, size) : new Int32Array(size);
    for (let o = 0; o < outer; o++) {
      const src = o * axisSize * inner;
      const dst = o * n * inner;
      for (let i = 0; i < n; i++) {
        const from = src + idx[i]! * inner;
        const to = dst + i * inner;
        if (inner >= 16 && xv.constructor === out.constructor) out.set(xv.subarray(from, from + inner), to);
        else for (let j = 0; j < inner; j++) out[to + j] = xv[from + j]!;
      }
    }
    return backend.makeTensorInfo(shape, x.dtype, out);
  },
};

/** cpu OneHot into a reused array (stock allocates a fresh one: 16 MB per step for a 2048 vocabulary). */
export const cpuOneHot: tf.KernelConfig = {
  kernelName: tf.OneHot,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const backend = args.backend as CpuBackend;
    const indices = args.inputs.indices as tf.TensorInfo;
    const { depth, onValue, offValue, dtype } = args.attrs as { depth: number; onValue: number; offValue: number; dtype: tf.DataType };
    if (dtype !== 'float32') return stockKernel(tf.OneHot, 'cpu').kernelFunc(args);
    const idx = cpuValues(backend, indices);
    const out = allocFloats(backend, idx.length * depth).fill(offValue);
    for (let i = 0; i < idx.length; i++) {
      const v = idx[i]!;
      if (v >= 0 && v < depth) out[i * depth + v] = onValue;
    }
    return backend.makeTensorInfo([...indices.shape, depth], 'float32', out);
  },
};
